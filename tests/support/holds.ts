import { holdGraceSeconds, releaseHold } from "@/lib/booking/release";
import { db } from "@/lib/db/client";

/** A hold end far enough in the past that the sweeper's grace period is over. */
export const pastGrace = () => new Date(Date.now() - (holdGraceSeconds() + 5) * 1000);

/** What the expire-hold job does when Stripe could not be asked: release the hold and leave the session open. */
export const releaseWithoutStripe = (bookingId: string) =>
  db.$transaction((tx) => releaseHold(tx, bookingId, "EXPIRED", "The hold ended before payment.", { expireCheckout: false }));

/**
 * The interleaving that deadlocked a plain INSERT of a hold (docs/RELIABILITY.md), forced: another transaction
 * writes a confirmed booking A at [start - 30 min, start + 30 min) and keeps it uncommitted; `attempt` (a hold of the
 * hour at `start`) is started and left `waitMs` to block on A; the same transaction then writes C at
 * [start + 30 min, start + 90 min), which overlaps the hold's hour but not A, and commits. A plain INSERT had put the
 * hold's row in the constraint's index before waiting, so C waited for the hold while the hold waited for C's
 * transaction: "deadlock detected" after deadlock_timeout. Returns how long C's write took, whether the attempt was
 * still waiting when C was written, and the attempt's outcome.
 */
export async function writeAroundAWaitingHold(
  at: { coachId: string; offeringId: string; otherStudentId: string; start: Date },
  attempt: () => Promise<unknown>,
  waitMs = 300,
) {
  const pg = await import("pg");
  const writer = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
  await writer.connect();
  const minutes = (n: number) => new Date(at.start.getTime() + n * 60_000);
  const book = (id: string, from: Date, until: Date) =>
    writer.query(
      `INSERT INTO bookings (id, coach_id, student_id, offering_id, status, starts_at, ends_at, blocked_from, blocked_until, student_time_zone, title, price_minor, currency, policy, updated_at)
       VALUES ($1, $2, $3, $4, 'CONFIRMED', $5, $6, $5, $6, 'UTC', 'x', 1, 'eur', '{}', now())`,
      [id, at.coachId, at.otherStudentId, at.offeringId, from, until],
    );
  try {
    await writer.query("BEGIN");
    await book(`a-${at.coachId}`, minutes(-30), minutes(30));
    let settled = false;
    const outcome = attempt().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    void outcome.finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, waitMs));
    const waitedForA = !settled;
    const began = Date.now();
    await book(`c-${at.coachId}`, minutes(30), minutes(90));
    const cWriteMs = Date.now() - began;
    await writer.query("COMMIT");
    return { waitedForA, cWriteMs, outcome: await outcome };
  } finally {
    await writer.query("ROLLBACK").catch(() => undefined);
    await writer.end();
  }
}
