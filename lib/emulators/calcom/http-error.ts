/**
 * Errors in Cal.com's envelope (apps/api/v2/src/filters/http-exception.filter.ts):
 * `{ status: "error", timestamp, path, error: { code: "<ExceptionName>", message, details } }`.
 */
export const EXCEPTION_NAMES: Record<number, string> = {
  400: "BadRequestException",
  401: "UnauthorizedException",
  403: "ForbiddenException",
  404: "NotFoundException",
  409: "ConflictException",
  429: "ThrottlerException",
  498: "TokenExpiredException",
  500: "InternalServerErrorException",
  502: "BadGatewayException",
  503: "ServiceUnavailableException",
  504: "GatewayTimeoutException",
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = EXCEPTION_NAMES[status] ?? "HttpException",
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const unauthorized = (message: string) => new HttpError(401, message);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);

export function errorEnvelope(path: string, status: number, message: string, code = EXCEPTION_NAMES[status] ?? "HttpException") {
  return {
    status: "error" as const,
    timestamp: new Date().toISOString(),
    path,
    error: { code, message, details: { message, error: code.replace(/Exception$/, "").replace(/([a-z])([A-Z])/g, "$1 $2"), statusCode: status } },
  };
}

/** JSON schema of the error envelope (the OpenAPI document declares no error responses). */
export const ERROR_ENVELOPE_SCHEMA = {
  type: "object",
  properties: {
    status: { const: "error" },
    timestamp: { type: "string" },
    path: { type: "string" },
    error: {
      type: "object",
      properties: { code: { type: "string", minLength: 1 }, message: { type: "string" }, details: {} },
      required: ["code", "message"],
    },
  },
  required: ["status", "timestamp", "path", "error"],
} as const;
