/**
 * The one domain error. Domain code throws it with a code; the route wrapper maps the code to an HTTP
 * status and the single JSON error shape `{ error: { code, message, details? } }`.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION: 400,
  INVALID_SIGNATURE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  SLOT_TAKEN: 409,
  INVALID_STATE: 409,
  EMAIL_TAKEN: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  // The client closed the connection before its body was complete (lib/http/body.ts); no one reads the answer.
  REQUEST_ABORTED: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTEGRATION_NOT_CONFIGURED: 409,
  UPSTREAM_ERROR: 502,
  UPSTREAM_UNAVAILABLE: 503,
  // Not ready yet (e.g. a refund event for a payment we have not recorded): the sender should retry later.
  RETRY_LATER: 503,
  // Our own database cannot be reached right now (lib/db/errors.ts isDatabaseUnreachable); comes with Retry-After.
  SERVICE_UNAVAILABLE: 503,
  // Cal.com refused the booking for good (the time is taken there, or outside the notice window).
  CALENDAR_REFUSED: 409,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(error: AppError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
}
