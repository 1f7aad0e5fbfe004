/**
 * A short memory, per process, that PostgreSQL was just found unreachable: set wherever a request failed for that
 * reason (the API route wrapper, and Next's onRequestError for page renders), read by proxy.ts, which then answers
 * page requests with a 503 page and Retry-After instead of rendering them into Next's error page (500: a page
 * cannot choose its own status, and the render only learns the cause after it has failed).
 *
 * Only the first request to meet the outage gets the 500; the ones after it, for DATABASE_DOWN_HOLD_MS, get 503.
 * Then one request tries again: still down, the window opens again; back, pages render. Per process on purpose:
 * it decides which error page to show for a few seconds, nothing else, so it needs no sharing.
 */
export const DATABASE_DOWN_HOLD_MS = 5_000;

const state = globalThis as unknown as { coachbookDatabaseDownUntil?: number };

export function noteDatabaseUnreachable(now = Date.now()): void {
  state.coachbookDatabaseDownUntil = now + DATABASE_DOWN_HOLD_MS;
}

/** Milliseconds left in the window (0: not known to be down). */
export function databaseDownFor(now = Date.now()): number {
  const until = state.coachbookDatabaseDownUntil ?? 0;
  return until > now ? until - now : 0;
}
