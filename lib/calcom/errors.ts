import { z } from "zod";
import { redact } from "@/lib/log";

/**
 * The one error type of the Cal.com client. Messages are built only from the method, the path template, the
 * status and Cal.com's own error code/message, and are passed through `redact()`; request headers, tokens and
 * keys are never stored on it.
 */
export type CalcomErrorKind =
  /** Cal.com answered with a non-2xx status. */
  | "http"
  /** No answer within timeoutMs. */
  | "timeout"
  /** The connection failed (refused, reset, DNS). */
  | "network"
  /** A 2xx answer whose body does not match the expected shape. */
  | "invalid_response"
  /** The client was used in a way its configuration does not allow (e.g. managed users in API-key mode). */
  | "config";

export interface CalcomErrorInit {
  kind: CalcomErrorKind;
  method: string;
  path: string;
  status?: number;
  code?: string;
  calMessage?: string;
  details?: unknown;
  requestId?: string;
  retryAfterMs?: number;
  attempts?: number;
  cause?: unknown;
}

export class CalcomError extends Error {
  readonly kind: CalcomErrorKind;
  /** HTTP status for kind "http" (498 = expired access token, 429 = rate limited). */
  readonly status?: number;
  /** Cal.com's error code, e.g. "BadRequestException", "TokenExpiredException". */
  readonly code?: string;
  /** Cal.com's error message (redacted), e.g. "Booking already confirmed". */
  readonly calMessage?: string;
  readonly details?: unknown;
  readonly method: string;
  /** Path template, e.g. "/v2/bookings/{bookingUid}/confirm". */
  readonly path: string;
  readonly requestId?: string;
  /** For 429s whose Retry-After exceeded the client's bound: how long Cal.com asked to wait. */
  readonly retryAfterMs?: number;
  /** How many HTTP attempts were made (1 = no retry). */
  readonly attempts: number;

  constructor(init: CalcomErrorInit) {
    const what = init.kind === "http" ? `HTTP ${init.status}${init.code ? ` ${init.code}` : ""}` : init.kind;
    const message = `Cal.com ${init.method} ${init.path} failed: ${what}${init.calMessage ? `: ${init.calMessage}` : ""}`;
    super(redact(message), init.cause === undefined ? undefined : { cause: sanitizeCause(init.cause) });
    this.name = "CalcomError";
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.calMessage = init.calMessage === undefined ? undefined : redact(init.calMessage);
    this.details = redactDeep(init.details);
    this.method = init.method;
    this.path = init.path;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }

  /** True when retrying the same request later may succeed (rate limit, 5xx, timeout, network). */
  get transient(): boolean {
    return this.kind === "timeout" || this.kind === "network" || this.status === 429 || (this.status !== undefined && this.status >= 500);
  }

  toJSON() {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      status: this.status,
      code: this.code,
      calMessage: this.calMessage,
      method: this.method,
      path: this.path,
      requestId: this.requestId,
      attempts: this.attempts,
    };
  }
}

export function isCalcomError(error: unknown, match?: { status?: number; kind?: CalcomErrorKind }): error is CalcomError {
  if (!(error instanceof CalcomError)) return false;
  if (match?.status !== undefined && error.status !== match.status) return false;
  if (match?.kind !== undefined && error.kind !== match.kind) return false;
  return true;
}

/** Cal.com's error body (`apps/api/v2/src/filters/http-exception.filter.ts` and siblings). */
export const calcomErrorEnvelope = z.object({
  status: z.literal("error"),
  timestamp: z.string().optional(),
  path: z.string().optional(),
  error: z.object({
    code: z.string(),
    message: z.union([z.string(), z.array(z.string())]).optional(),
    details: z.unknown().optional(),
  }),
});

export interface ParsedCalcomError {
  code?: string;
  message?: string;
  details?: unknown;
}

/** Extracts code/message/details from an error body; tolerates non-envelope bodies (proxies, HTML pages). */
export function parseErrorBody(body: unknown): ParsedCalcomError {
  const parsed = calcomErrorEnvelope.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return { code, message: Array.isArray(message) ? message.join("; ") : message, details };
  }
  if (body && typeof body === "object" && "message" in body && typeof (body as { message: unknown }).message === "string") {
    return { message: (body as { message: string }).message };
  }
  return {};
}

function redactDeep(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(redact(JSON.stringify(value)));
  } catch {
    return redact(String(value));
  }
}

function sanitizeCause(cause: unknown): unknown {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code;
    return { name: cause.name, message: redact(cause.message), ...(typeof code === "string" ? { code } : {}) };
  }
  return undefined;
}
