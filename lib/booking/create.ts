import { z } from "zod";
import { db, hotQuery } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { instantSchema } from "@/lib/http/input";
import { log } from "@/lib/log";
import { createCheckoutSession, expireUnusedCheckout } from "@/lib/payments/checkout";
import { stripeConfigured } from "@/lib/payments/stripe";
import { MAX_LIVE_HOLDS_PER_STUDENT, rateLimitsEnabled } from "@/lib/rate-limit/limits";
import { timeZoneSchema } from "@/lib/time/zones";
import type { PendingCaller } from "@/lib/auth/session-account";
import { calendarRefusal } from "@/lib/calcom/refusal";
import { createPendingCalcomBooking } from "./calcom";
import { planHold, writeHoldWithCheckout, type HoldCheckout, type PlannedHold } from "./hold";
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

/** The student a hold is for: an admitted caller (tests, tools), or the route's caller still to be admitted. */
interface Student {
  id: string;
  email: string;
}

export interface CreatedBooking {
  bookingId: string;
  checkoutUrl: string;
  holdExpiresAt: string;
  amountMinor: number;
  currency: string;
}

/**
 * Checkout Session -> hold (with its payment row) -> pending Cal.com booking. The engine checks the slot first, so
 * Stripe is asked only for a time that was free when read; the session is made for the planned hold's id, and the
 * hold is written together with the session's id, URL and PENDING payment in one statement (no hold ever exists
 * without its Checkout, and no second write per hold: docs/BENCHMARKS.md, eighth pass). Nobody can pay before the
 * URL is returned, which happens only after every step succeeded. If a step fails, the earlier ones are undone:
 * - Stripe fails: nothing was held; the student gets a clear error.
 * - the hold is refused (another student took the time meanwhile, 409): the unused session is expired at Stripe.
 * - Cal.com or the cap re-check fails: the hold is released in one transaction that queues the session's expiry
 *   and the Cal.com decline, so no orphan hold, payable session or orphan Cal.com booking is left behind.
 * A process killed between the session and the hold leaves only a session whose URL nobody has; it expires at
 * Stripe by itself (tests/integration/checkout-before-hold.test.ts).
 */
export async function createBooking(caller: Student | PendingCaller, input: CreateBookingInput): Promise<CreatedBooking> {
  const e = env();
  if (!stripeConfigured()) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Payments are not set up on this server yet, so sessions cannot be booked.");
  const capped = rateLimitsEnabled(); // RATE_LIMITS=off (load tests) lifts the cap too
  const start = new Date(input.start);
  const now = new Date();
  // One read: the offering context for the engine, the student's hold on this exact slot, their live holds, and
  // their account for the session check (the route's, done here on this read's row before anything else).
  const read = await loadHoldContext(input.offeringId, caller.id, start, now, capped);
  const student = "admit" in caller ? await caller.admit(read ? read.account : undefined) : caller;
  if (!read) throw offeringGone();
  const { context, resumable, liveHolds } = read;
  // A repeated "Continue to payment" (back from Checkout, a double click, a second tab) resumes the student's own
  // hold, even at the cap and even if the offering was withdrawn since.
  if (resumable) return resumableHold([resumable], input.offeringId, start)!;
  if (!context) throw offeringGone();
  // The cap on live unpaid holds, so one account cannot hold a coach's whole calendar (429 at the cap).
  if (capped && liveHolds >= MAX_LIVE_HOLDS_PER_STUDENT) throw await holdCapError(student.id);
  const { offering, coach } = context;
  const plan = planHold(context, { studentId: student.id, offeringId: input.offeringId, start, studentTimeZone: input.timeZone, holdMinutes: e.HOLD_MINUTES }, now);
  const checkout = await startCheckout(plan, student, e.APP_URL, coach.name);
  try {
    await writeHoldWithCheckout(plan, checkout);
  } catch (error) {
    await expireUnusedCheckout(checkout.sessionId);
    throw error;
  }
  const hold = plan; // written as planned
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
  return { bookingId: hold.id, checkoutUrl: checkout.url, holdExpiresAt: plan.holdExpiresAt.toISOString(), amountMinor: plan.priceMinor, currency: plan.currency };
}

/** The Checkout Session for a planned hold; any failure is the student's "try again" (nothing was held yet). */
async function startCheckout(plan: PlannedHold, student: { email: string }, appUrl: string, coachName: string): Promise<HoldCheckout> {
  let session: Awaited<ReturnType<typeof createCheckoutSession>>;
  try {
    session = await createCheckoutSession(plan, student, appUrl, coachName);
  } catch (error) {
    throw error instanceof AppError ? error : new AppError("UPSTREAM_ERROR", "The payment could not be started. Please try again.");
  }
  if (!session.url) {
    await expireUnusedCheckout(session.id);
    throw new AppError("UPSTREAM_ERROR", "Stripe returned no checkout URL.");
  }
  return { sessionId: session.id, url: session.url };
}

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
