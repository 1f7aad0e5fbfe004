import pino from "pino";
import { currentRequestId } from "@/lib/http/request-context";

/**
 * Structured logging with pino: JSON lines, errors serialized with stack and cause, secrets redacted twice
 * (by field name through pino's `redact`, and by pattern over the whole line, so a token inside an error message
 * or URL is masked too). Lines written during a request carry its `requestId`: API routes and page renders alike
 * (lib/http/request-context.ts).
 * The API stays `log.info/warn/error(message, fields)`.
 */
const SECRET_PATTERNS: RegExp[] = [
  /\b(sk|rk|pk)_(test|live)_[A-Za-z0-9]+/g,
  /\bwhsec_[A-Za-z0-9]+/g,
  /\bcal_(live_)?[A-Za-z0-9]+/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g,
  /("?(?:password|secret|token|accessToken|refreshToken|apiKey|x-cal-secret-key)"?\s*[:=]\s*"?)[^",\s}]+/gi,
];

export function redact(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === "string" && pattern.source.startsWith("(\"?(?:password") ? `${prefix}[redacted]` : "[redacted]",
    );
  }
  return out;
}

const SECRET_FIELDS = ["password", "passwordHash", "secret", "token", "accessToken", "refreshToken", "apiKey", "authorization", "cookie"];

function level(): pino.Level | "silent" {
  if (process.env.COACHBOOK_LOG === "silent") return "error";
  return process.env.COACHBOOK_DEBUG ? "debug" : "info";
}

/** Where lines go; tests swap it to capture output. */
export const logDestination: { write: (line: string) => void } = { write: (line) => process.stdout.write(line) };

function createLogger() {
  return pino(
    {
      level: level(),
      base: undefined,
      messageKey: "message",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: pino.stdSerializers.errWithCause, err: pino.stdSerializers.errWithCause, cause: pino.stdSerializers.errWithCause },
      redact: { paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`)], censor: "[redacted]" },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      hooks: { streamWrite: (line) => redact(line) },
    },
    { write: (line: string) => logDestination.write(line) },
  );
}

let logger: pino.Logger | undefined;
let loggerLevel: string | undefined;
function get(): pino.Logger {
  const wanted = level();
  if (!logger || loggerLevel !== wanted) {
    logger = createLogger();
    loggerLevel = wanted;
  }
  return logger;
}

type Fields = Record<string, unknown>;

export const log = {
  debug: (message: string, fields?: Fields) => get().debug(fields ?? {}, message),
  info: (message: string, fields?: Fields) => get().info(fields ?? {}, message),
  warn: (message: string, fields?: Fields) => get().warn(fields ?? {}, message),
  error: (message: string, fields?: Fields) => get().error(fields ?? {}, message),
};
