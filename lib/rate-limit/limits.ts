/**
 * Every rate limit of the app, in one place (docs/SECURITY.md lists them with the reasons).
 * `points` requests are allowed per `durationSeconds` window for one key (an account id or a client address).
 * State lives in PostgreSQL (table rate_limits), so the limits hold across several app processes.
 * `RATE_LIMITS=off` turns every limit off (load tests only); they are on by default.
 */
export const RATE_LIMITS = {
  /** Holds a student may start: each one creates a Cal.com booking request and a Stripe Checkout Session. */
  createBookingPerAccount: { points: 10, durationSeconds: 60 * 60 },
  createBookingPerAddress: { points: 30, durationSeconds: 60 * 60 },
  /** Each confirm asks Stripe: one client must not spend the server's Stripe rate limit. */
  confirmBookingPerClient: { points: 30, durationSeconds: 60 },
  /** Cancel and reschedule (dry runs included) lock a booking and may call Stripe and Cal.com. */
  bookingChangePerAccount: { points: 60, durationSeconds: 60 * 60 },
  /** Each look-up may ask Cal.com, which limits slot look-ups per server address. */
  availableSlotsPerClient: { points: 60, durationSeconds: 60 },
  /** Sign-up hashes a password (CPU) and creates rows. */
  signUpPerAddress: { points: 10, durationSeconds: 60 * 60 },
  /**
   * Sign-in: failed attempts are counted per account and per address for `durationSeconds`; past `freeFailures`,
   * each further failure locks that key for a delay that doubles (base, 2x base, 4x ...) up to `maxDelaySeconds`.
   */
  signInFailuresPerAccount: { points: 5, durationSeconds: 60 * 60, baseDelaySeconds: 2, maxDelaySeconds: 15 * 60 },
  signInFailuresPerAddress: { points: 20, durationSeconds: 60 * 60, baseDelaySeconds: 2, maxDelaySeconds: 15 * 60 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** A student's live unpaid holds (PENDING_PAYMENT, not expired) at once; lib/booking/create.ts enforces it. */
export const MAX_LIVE_HOLDS_PER_STUDENT = 2;

export function rateLimitsEnabled(): boolean {
  return (process.env.RATE_LIMITS ?? "on").trim().toLowerCase() !== "off";
}
