/**
 * Retry timing for the Cal.com client: exponential backoff with "equal jitter" (half fixed, half random, so the
 * delay still grows with every attempt but concurrent clients spread out), and the server's own hints on 429
 * (`Retry-After`, then `X-RateLimit-Reset-Default`).
 */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  maxRetries: number;
  /** First backoff step (default 250 ms); doubles each attempt. */
  baseDelayMs: number;
  /** Cap for one computed backoff (default 8 s). */
  maxDelayMs: number;
  /** Longest server-requested wait the client will sit out; longer → fail now with retryAfterMs (default 60 s). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/** Backoff before retry number `attempt` (0 = the first retry): in [cap/2, cap] with cap = min(max, base·2^attempt). */
export function computeBackoffMs(attempt: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * How long the server asked us to wait, in ms, or undefined. `Retry-After` may be delta-seconds or an HTTP date;
 * `X-RateLimit-Reset-Default` is Cal.com's "time until the window or block expires" in seconds (an absolute epoch
 * value in seconds or ms is tolerated too).
 */
export function serverRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("x-ratelimit-reset-default");
  if (reset !== null && reset.trim() !== "") {
    const value = Number(reset);
    if (Number.isFinite(value)) {
      if (value > 1e12) return Math.max(0, value - now);
      if (value > 1e9) return Math.max(0, value * 1000 - now);
      return Math.max(0, Math.round(value * 1000));
    }
  }
  return undefined;
}

/** Delay before the next attempt: at least what the server asked for, at least the backoff. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, serverHintMs: number | undefined, random?: () => number): number {
  const backoff = computeBackoffMs(attempt, policy, random);
  return serverHintMs === undefined ? backoff : Math.max(serverHintMs, backoff);
}

const CONNECT_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** True when a fetch failure happened before the request reached the server (safe to retry any method). */
export function isConnectError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && CONNECT_ERRORS.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
