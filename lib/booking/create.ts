import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db, hotQuery } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { instantSchema } from "@/lib/http/input";
import { log } from "@/lib/log";
import { createCheckoutSession } from "@/lib/payments/checkout";
import { stripeConfigured } from "@/lib/payments/stripe";
import { MAX_LIVE_HOLDS_PER_STUDENT, rateLimitsEnabled } from "@/lib/rate-limit/limits";
import { timeZoneSchema } from "@/lib/time/zones";
import { calendarRefusal } from "@/lib/calcom/refusal";
import { createPendingCalcomBooking } from "./calcom";
import { insertHold } from "./hold";
import { resumableHold } from "./live-holds";
import { loadHoldContext, offeringGone } from "./rules";
import { releaseHold } from "./release";

export const createBookingSchema = z.object({
  offeringId: z.string().trim().min(1, "Choose a session.").max(64),
  start: instantSchema("start must be an ISO date-time."),
  timeZone: timeZoneSchema,
});
export type CreateBookingInput = z.infer<typeof createBookingSchema>;

const ORPHAN_CHECK_DELAY_MS = 2 * 60_000;

export interface CreatedBooking {
  bookingId: string;
  checkoutUrl: string;
  holdExpiresAt: string;
  amountMinor: number;
  currency: string;
}

/**
 * Hold -> pending Cal.com booking -> Stripe Checkout Session. If a later step fails, the earlier ones are undone
 * (the hold is released in the same transaction that queues the Cal.com decline), so no orphan hold or orphan
 * Cal.com booking is left behind, and the student gets a clear error.
 */
export async function createBooking(student: { id: string; email: string }, input: CreateBookingInput): Promise<CreatedBooking> {
  const e = env();
  if (!stripeConfigured()) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Payments are not set up on this server yet, so sessions cannot be booked.");
  const capped = rateLimitsEnabled(); // RATE_LIMITS=off (load tests) lifts the cap too
  const start = new Date(input.start);
  const now = new Date();
  // One read: the offering context for the engine, the student's hold on this exact slot, their live holds.
  const { context, resumable, liveHolds } = await loadHoldContext(input.offeringId, student.id, start, now, capped);
  // A repeated "Continue to payment" (back from Checkout, a double click, a second tab) resumes the student's own
  // hold, even at the cap and even if the offering was withdrawn since.
  if (resumable) return resumableHold([resumable], input.offeringId, start)!;
  if (!context) throw offeringGone();
  // The cap on live unpaid holds, so one account cannot hold a coach's whole calendar (429 at the cap).
  if (capped && liveHolds >= MAX_LIVE_HOLDS_PER_STUDENT) throw await holdCapError(student.id);
  const { offering, coach } = context;
  const hold = await insertHold(context, { studentId: student.id, offeringId: input.offeringId, start, studentTimeZone: input.timeZone, holdMinutes: e.HOLD_MINUTES }, now);
  const undo = async (reason: string, calcomDelayMs = 0) => {
    await db.$transaction((tx) => releaseHold(tx, hold.id, "CANCELLED", reason, { expireCheckout: true, calcomDelayMs, cause: reason })).catch((error) =>
      log.error("could not release a failed hold", { bookingId: hold.id, error }),
    );
  };
  // Two requests racing past the check above: the later holds (by creation order) give way, so the cap holds.
  if (capped && !(await withinHoldCap(student.id, hold.id))) {
    await undo("Too many unpaid holds.");
    throw await holdCapError(student.id);
  }
  try {
    await createPendingCalcomBooking(hold, offering.calcomEventTypeId);
  } catch (error) {
    // A definitive refusal (the time is taken in Cal.com, or outside its notice window) is the student's answer:
    // a 409 with the reason, not a 503 that invites endless retries.
    const refusal = calendarRefusal(error);
    if (refusal) {
      await undo(`Cal.com refused the time: ${refusal}`);
      throw new AppError("CALENDAR_REFUSED", `${refusal} Please pick another time.`);
    }
    // The call may have failed after Cal.com created the booking (a timeout): the release job looks for such an
    // orphan by our booking id a little later, when the request has surely finished there, and declines it.
    await undo("Cal.com could not hold the slot.", ORPHAN_CHECK_DELAY_MS);
    log.warn("Cal.com booking failed", { bookingId: hold.id, error });
    throw new AppError("UPSTREAM_UNAVAILABLE", "The coach's calendar could not be reached, so the slot was not held. Please try again in a moment.");
  }
  try {
    const session = await createCheckoutSession(hold, student, e.APP_URL, coach.name);
    if (!session.url) throw new AppError("UPSTREAM_ERROR", "Stripe returned no checkout URL.");
    await recordCheckout(hold, session.id, session.url);
    return { bookingId: hold.id, checkoutUrl: session.url, holdExpiresAt: hold.holdExpiresAt!.toISOString(), amountMinor: hold.priceMinor, currency: hold.currency };
  } catch (error) {
    await undo("The payment could not be started.");
    throw error instanceof AppError ? error : new AppError("UPSTREAM_ERROR", "The payment could not be started. Please try again.");
  }
}

/**
 * The Checkout Session on the hold and its PENDING payment row, in ONE statement (so one round trip instead of a
 * BEGIN/UPDATE/INSERT/COMMIT batch; a single statement is atomic just the same). Raw SQL, so it sets what Prisma
 * would: the payment's id (a UUID, as the job queue's raw insert does) and both updated_at columns. No payment is
 * written when the hold row is gone, and that is an error here (the caller undoes the hold).
 */
async function recordCheckout(hold: { id: string; priceMinor: number; currency: string }, sessionId: string, checkoutUrl: string) {
  const inserted = await hotQuery<{ id: string }>("coachbook_record_checkout", RECORD_CHECKOUT_SQL, [sessionId, checkoutUrl, hold.id, randomUUID(), hold.priceMinor, hold.currency]);
  if (inserted.length !== 1) throw new Error(`hold ${hold.id} vanished before its checkout was recorded`);
}

// $1 session id, $2 checkout URL, $3 booking id, $4 new payment id, $5 amount, $6 currency.
const RECORD_CHECKOUT_SQL = `
  WITH held AS (
    UPDATE bookings SET stripe_checkout_session_id = $1, checkout_url = $2, updated_at = now()
    WHERE id = $3
    RETURNING id)
  INSERT INTO payments (id, booking_id, status, amount_minor, currency, stripe_checkout_session_id, updated_at)
  SELECT $4::text, held.id, 'PENDING'::"PaymentStatus", $5::integer, $6::text, $1::text, now() FROM held
  RETURNING id`;

const liveHolds = (studentId: string) => ({ studentId, status: "PENDING_PAYMENT" as const, holdExpiresAt: { gt: new Date() } });

/** 429 with Retry-After: when the student's oldest live hold expires, a place frees up. */
async function holdCapError(studentId: string) {
  const first = await db.booking.findFirst({ where: liveHolds(studentId), orderBy: { holdExpiresAt: "asc" }, select: { holdExpiresAt: true } });
  const retryAfterSeconds = Math.max(1, Math.ceil(((first?.holdExpiresAt?.getTime() ?? Date.now()) - Date.now()) / 1000));
  return new AppError(
    "RATE_LIMITED",
    `You already have ${MAX_LIVE_HOLDS_PER_STUDENT} unpaid bookings waiting for payment. Pay for one or let it expire before booking another.`,
    { maxLiveHolds: MAX_LIVE_HOLDS_PER_STUDENT, retryAfterSeconds },
  );
}

/** Whether `holdId` is among the student's first MAX_LIVE_HOLDS_PER_STUDENT live holds (creation order). */
async function withinHoldCap(studentId: string, holdId: string) {
  const first = await hotQuery<{ id: string }>("coachbook_first_live_holds", FIRST_LIVE_HOLDS_SQL, [studentId, new Date()]);
  return first.some((b) => b.id === holdId);
}

// $1 student, $2 now. The same live-hold rule as liveHolds() above. The cap is a constant in the text, not a
// parameter, so the named statement's generic plan knows its limit (see live_holds in lib/booking/rules.ts).
const FIRST_LIVE_HOLDS_SQL = `
  SELECT id FROM bookings
  WHERE student_id = $1::text AND status = 'PENDING_PAYMENT' AND hold_expires_at > $2::timestamptz
  ORDER BY created_at ASC, id ASC
  LIMIT ${MAX_LIVE_HOLDS_PER_STUDENT}`;
