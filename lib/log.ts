/**
 * Structured, secret-free logging. Anything that looks like a credential is masked before it is written,
 * so a stray token in an error message or URL never reaches the logs.
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

type Level = "debug" | "info" | "warn" | "error";

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (process.env.COACHBOOK_LOG === "silent" && level !== "error") return;
  if (level === "debug" && !process.env.COACHBOOK_DEBUG) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: value.message } : value,
  );
  const safe = redact(line);
  if (level === "error" || level === "warn") console.error(safe);
  else console.log(safe);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
