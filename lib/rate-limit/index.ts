import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { RATE_LIMITS, rateLimitsEnabled, type RateLimitName } from "./limits";

export { RATE_LIMITS, MAX_LIVE_HOLDS_PER_STUDENT, rateLimitsEnabled, type RateLimitName } from "./limits";

/**
 * rate-limiter-flexible over PostgreSQL (table rate_limits, created by a migration: `tableCreated: true` stops the
 * library from creating it at runtime). Its own small pg Pool, keyed by DATABASE_URL like lib/db/client.ts.
 */
const TABLE = "rate_limits";
const globalForLimits = globalThis as unknown as { coachbookLimitPool?: pg.Pool; coachbookLimitUrl?: string; coachbookLimiters?: Map<string, RateLimiterPostgres> };

function pool(): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  if (!globalForLimits.coachbookLimitPool || globalForLimits.coachbookLimitUrl !== url) {
    void globalForLimits.coachbookLimitPool?.end().catch(() => {});
    globalForLimits.coachbookLimitPool = new pg.Pool({ connectionString: url, max: 4 });
    globalForLimits.coachbookLimitPool.on("error", (error) => log.warn("rate limit pool error", { error }));
    globalForLimits.coachbookLimitUrl = url;
    globalForLimits.coachbookLimiters = new Map();
  }
  return globalForLimits.coachbookLimitPool;
}

function limiter(name: string, points: number, durationSeconds: number): RateLimiterPostgres {
  const store = pool();
  const limiters = globalForLimits.coachbookLimiters!;
  let found = limiters.get(name);
  if (!found) {
    found = new RateLimiterPostgres({
      storeClient: store,
      storeType: "pool",
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: name,
      points,
      duration: durationSeconds,
    });
    limiters.set(name, found);
  }
  return found;
}

/** Rows of windows that ended an hour ago; run now and then (1 in 200 consumes), never on the hot path alone. */
function maybeClearExpired(l: RateLimiterPostgres) {
  if (Math.random() < 0.005) void (l as unknown as { clearExpired(expire: number): Promise<void> }).clearExpired(Date.now() - 3600_000);
}

export function rateLimited(retryAfterSeconds: number, message: string): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError("RATE_LIMITED", `${message} Try again in ${describeWait(seconds)}.`, { retryAfterSeconds: seconds });
}

function describeWait(seconds: number) {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Counts one request against `name` for `key`; throws RATE_LIMITED (429 + Retry-After) past the limit. */
export async function consume(name: Exclude<RateLimitName, `signInFailures${string}`>, key: string, message = "Too many requests."): Promise<void> {
  if (!rateLimitsEnabled()) return;
  const config = RATE_LIMITS[name];
  const l = limiter(name, config.points, config.durationSeconds);
  try {
    await l.consume(key);
    maybeClearExpired(l);
  } catch (result) {
    if (result instanceof RateLimiterRes) {
      log.info("rate limit refused a request", { limit: name });
      throw rateLimited(result.msBeforeNext / 1000, message);
    }
    throw result;
  }
}

type FailureLimit = Extract<RateLimitName, `signInFailures${string}`>;

/**
 * Growing delays for failed sign-ins: `failures` counts them in the window, `lock` holds the key locked until the
 * current delay has passed. Returns the seconds still to wait, or 0.
 */
export async function lockedFor(name: FailureLimit, key: string): Promise<number> {
  if (!rateLimitsEnabled()) return 0;
  const res = await limiter(`${name}:lock`, 1, 1).get(key);
  return res && res.consumedPoints > 1 && res.msBeforeNext > 0 ? Math.ceil(res.msBeforeNext / 1000) : 0;
}

export async function recordFailure(name: FailureLimit, key: string): Promise<void> {
  if (!rateLimitsEnabled()) return;
  const config = RATE_LIMITS[name];
  const failures = limiter(`${name}:count`, Number.MAX_SAFE_INTEGER, config.durationSeconds);
  const res = await failures.penalty(key, 1);
  const over = res.consumedPoints - config.points;
  if (over > 0) {
    const delay = Math.min(config.maxDelaySeconds, config.baseDelaySeconds * 2 ** Math.min(over - 1, 20));
    await limiter(`${name}:lock`, 1, 1).block(key, delay);
    log.info("sign-in locked after repeated failures", { limit: name, failures: res.consumedPoints, delaySeconds: delay });
  }
  maybeClearExpired(failures);
}

export async function clearFailures(name: FailureLimit, key: string): Promise<void> {
  if (!rateLimitsEnabled()) return;
  const config = RATE_LIMITS[name];
  await limiter(`${name}:count`, Number.MAX_SAFE_INTEGER, config.durationSeconds).delete(key);
}

/**
 * The client's address, or null when the request carries none. Behind our reverse proxy the last X-Forwarded-For
 * entry is the one the proxy added (earlier ones are whatever the client sent, so they are not trusted). Next's
 * route handlers do not expose the socket address, so without a proxy header nobody can be told apart: per-address
 * limits are then skipped (one shared "unknown" bucket would let one client lock every visitor out); per-account
 * limits and the hold cap still apply. Production runs behind a proxy that sets X-Forwarded-For (docs/SECURITY.md).
 */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).pop();
  const address = (last ?? headers.get("x-real-ip")?.trim() ?? "").slice(0, 64);
  return address || null;
}
