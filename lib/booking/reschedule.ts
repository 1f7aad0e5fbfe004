import { addMinutes } from "date-fns";
import { z } from "zod";
import { blockedRange, isSlotBookable } from "@/lib/availability";
import { db } from "@/lib/db/client";
import { isExclusionViolation } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Booking } from "@/lib/generated/prisma/client";
import type { BookingStatus } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import { refundBooking } from "@/lib/payments/ledger";
import { stripeConfigured } from "@/lib/payments/stripe";
import { timeZoneSchema } from "@/lib/time/zones";
import { type Caller, type Tx, inTransaction, lockBookingFor, refundableMinor } from "./cancel-access";
import { readPolicy, rescheduleRefusal } from "./policy";
import { releaseHold } from "./release";
import { completeMove } from "./reschedule-move";
import { ensureDifferenceCheckout } from "./reschedule-payment";
import { loadOfferingRules } from "./rules";

export const rescheduleBookingSchema = z.object({
  bookingId: z.string().trim().min(1, "bookingId is required.").max(64),
  start: z.iso.datetime({ offset: true, message: "start must be an ISO date-time." }),
  timeZone: timeZoneSchema,
  offeringId: z.string().trim().min(1).max(64).optional(),
  dryRun: z.boolean().optional(),
});
export type RescheduleBookingInput = z.infer<typeof rescheduleBookingSchema>;

export interface RescheduleResult {
  /** The booking now holding the session (the original one while a difference is still to be paid). */
  bookingId: string;
  status: "RESCHEDULED" | "AWAITING_PAYMENT";
  difference: { amountMinor: number; currency: string };
  /** The new booking that becomes the session once the difference is paid. */
  pendingBookingId?: string;
  checkoutUrl?: string;
  startsAt: string;
}

const HELD: BookingStatus[] = ["PENDING_PAYMENT", "AWAITING_FUNDS"];
const DAY_MS = 86_400_000;

/**
 * POST /api/calcom/reschedule-booking. Same price: moved at once. Cheaper: moved and the difference refunded. Dearer:
 * the new slot is held (under the exclusion constraint; a booking's series may overlap itself, so a move by half an
 * hour works) while the original stays booked, and a Checkout Session asks for the difference; the move completes
 * when it is paid (applyPaidDifference). Repeating a request returns what the first did.
 */
export async function rescheduleBooking(caller: Caller, input: RescheduleBookingInput, now = new Date()): Promise<RescheduleResult> {
  const dryRun = input.dryRun === true;
  const result = await inTransaction(dryRun, (tx) => rescheduleLocked(tx, caller, input, now)).catch((error) => {
    if (isExclusionViolation(error)) throw new AppError("SLOT_TAKEN", "Someone just took that time. Please pick another one.");
    throw error;
  });
  if (!dryRun) log.info("booking reschedule requested", { bookingId: input.bookingId, callerId: caller.id, role: caller.role, status: result.status, to: result.pendingBookingId ?? result.bookingId, differenceMinor: result.difference.amountMinor });
  if (dryRun || result.status !== "AWAITING_PAYMENT" || result.checkoutUrl || !result.pendingBookingId) return result;
  const pendingId = result.pendingBookingId;
  try {
    const session = await ensureDifferenceCheckout(pendingId);
    return { ...result, checkoutUrl: session.url ?? undefined };
  } catch (error) {
    await db.$transaction((tx) => releaseHold(tx, pendingId, "CANCELLED", "The payment for the difference could not be started.", { cause: "difference checkout failed" })).catch((e) =>
      log.error("could not release a reschedule hold", { bookingId: pendingId, error: e }),
    );
    throw error instanceof AppError ? error : new AppError("UPSTREAM_ERROR", "The payment for the difference could not be started. Please try again.");
  }
}

async function rescheduleLocked(tx: Tx, caller: Caller, input: RescheduleBookingInput, now: Date): Promise<RescheduleResult> {
  const { booking, actor } = await lockBookingFor(tx, input.bookingId, caller);
  const start = new Date(input.start);
  const offeringId = input.offeringId ?? booking.offeringId;

  if (booking.status === "RESCHEDULED" && booking.rescheduledToId) {
    // A repeat of a move that already happened answers the same; a different move must go to the new booking.
    const moved = await tx.booking.findUniqueOrThrow({ where: { id: booking.rescheduledToId } });
    if (moved.startsAt.getTime() === start.getTime() && moved.offeringId === offeringId) return movedAnswer(booking, moved);
    throw new AppError("INVALID_STATE", "This booking was already moved; change the new booking instead.", { rescheduledToId: moved.id });
  }
  if (booking.status !== "CONFIRMED") {
    throw new AppError("INVALID_STATE", HELD.includes(booking.status) ? "Only a paid booking can be moved. Finish the payment first, or cancel the hold." : "This booking is no longer active, so it cannot be moved.");
  }
  if (booking.startsAt <= now) throw new AppError("INVALID_STATE", "This session has already started, so it can no longer be moved.");

  const pending = await tx.booking.findFirst({ where: { rescheduledFromId: booking.id, status: { in: HELD } } });
  if (pending) {
    if (pending.startsAt.getTime() === start.getTime() && pending.offeringId === offeringId) return pendingAnswer(booking, pending);
    // A different move replaces the one still waiting for its payment.
    await releaseHold(tx, pending.id, "CANCELLED", "Replaced by another reschedule request.", { endedBy: actor, cause: "superseded reschedule" });
  }

  const offering = await tx.offering.findUnique({ where: { id: offeringId } });
  if (!offering || offering.coachId !== booking.coachId || !offering.active) {
    throw new AppError("VALIDATION", "Choose one of this coach's current sessions.", { fields: { offeringId: "Not an active session of this coach." } });
  }
  if (offering.currency.toLowerCase() !== booking.currency.toLowerCase()) {
    throw new AppError("BAD_REQUEST", `That session is priced in ${offering.currency.toUpperCase()} and this booking was paid in ${booking.currency.toUpperCase()}; a booking can only move to a session in the same currency.`);
  }
  if (start.getTime() === booking.startsAt.getTime() && offeringId === booking.offeringId) {
    throw new AppError("BAD_REQUEST", "The booking is already at this time.");
  }
  if (actor === "STUDENT") {
    const refusal = rescheduleRefusal(readPolicy(booking.policy), booking.startsAt, now, booking.rescheduleCount);
    if (refusal) throw new AppError("INVALID_STATE", refusal);
  }
  // The local engine decides (weekly rules, overrides, buffers, notice, horizon), ignoring the booking's own time.
  const { coach, rules } = await loadOfferingRules(tx, offering.id, now, new Date(start.getTime() - DAY_MS), new Date(start.getTime() + DAY_MS), booking.id);
  if (!isSlotBookable(rules, start)) throw new AppError("SLOT_TAKEN", "That time is not available. Please pick another slot.");

  const end = addMinutes(start, offering.durationMinutes);
  const blocked = blockedRange(start, end, coach.bufferBeforeMinutes, coach.bufferAfterMinutes);
  const difference = offering.priceMinor - booking.priceMinor;
  const replacement = {
    coachId: booking.coachId,
    studentId: booking.studentId,
    offeringId: offering.id,
    startsAt: start,
    endsAt: end,
    blockedFrom: blocked.from,
    blockedUntil: blocked.until,
    // The zone the student reads times in; a coach or admin moving it does not change it.
    studentTimeZone: actor === "STUDENT" ? input.timeZone : booking.studentTimeZone,
    title: offering.title,
    priceMinor: offering.priceMinor,
    currency: booking.currency,
    rescheduledFromId: booking.id,
    seriesId: booking.seriesId ?? booking.id,
    rescheduleCount: booking.rescheduleCount + 1,
    rescheduledBy: actor,
  } as const;

  if (difference > 0) {
    if (!stripeConfigured()) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Payments are not set up on this server, so a move to a dearer session cannot be paid.");
    // The promise made when the session was booked carries over: a move never changes the policy snapshot.
    const hold = await tx.booking.create({ data: { ...replacement, policy: booking.policy as object, status: "PENDING_PAYMENT", holdExpiresAt: addMinutes(now, env().HOLD_MINUTES) } });
    return pendingAnswer(booking, hold);
  }
  const moved = await tx.booking.create({ data: { ...replacement, policy: booking.policy as object, status: "CONFIRMED", confirmedAt: now } });
  await completeMove(tx, booking, moved, actor, now);
  if (difference < 0) {
    const refundable = await refundableMinor(tx, moved.id);
    if (refundable > 0) await refundBooking(tx, moved.id, Math.min(-difference, refundable), "reschedule-difference", `reschedule:${booking.id}`, "moved to a cheaper session");
  }
  return movedAnswer(booking, moved);
}

function movedAnswer(old: Booking, moved: Booking): RescheduleResult {
  return { bookingId: moved.id, status: "RESCHEDULED", difference: { amountMinor: moved.priceMinor - old.priceMinor, currency: old.currency }, startsAt: moved.startsAt.toISOString() };
}

function pendingAnswer(old: Booking, hold: Booking): RescheduleResult {
  return {
    bookingId: old.id,
    status: "AWAITING_PAYMENT",
    pendingBookingId: hold.id,
    difference: { amountMinor: hold.priceMinor - old.priceMinor, currency: old.currency },
    ...(hold.checkoutUrl ? { checkoutUrl: hold.checkoutUrl } : {}),
    startsAt: hold.startsAt.toISOString(),
  };
}
