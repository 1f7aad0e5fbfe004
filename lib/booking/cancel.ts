import { z } from "zod";
import type { Booking } from "@/lib/generated/prisma/client";
import type { Actor, BookingStatus } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { notify } from "@/lib/notifications";
import { refundBooking, refundSummary, type RefundReason, type RefundState } from "@/lib/payments/ledger";
import { type Caller, type Tx, inTransaction, lockBookingFor, refundableMinor } from "./cancel-access";
import { readPolicy, refundForCancellation, type PolicySnapshot } from "./policy";
import { releaseHold } from "./release";

export const cancelBookingSchema = z.object({
  bookingId: z.string().trim().min(1, "bookingId is required.").max(64),
  dryRun: z.boolean().optional(),
  reason: z.string().trim().max(500, "Keep the reason under 500 characters.").optional(),
});
export type CancelBookingInput = z.infer<typeof cancelBookingSchema>;

export interface CancelResult {
  bookingId: string;
  status: BookingStatus;
  refund: { amountMinor: number; currency: string; status: RefundState };
  policy: PolicySnapshot;
}

const HELD: BookingStatus[] = ["PENDING_PAYMENT", "AWAITING_FUNDS"];
const CANCELLED_BY: Record<Actor, "student" | "coach" | "admin" | undefined> = { STUDENT: "student", COACH: "coach", ADMIN: "admin", SYSTEM: undefined };
const REASON: Record<Actor, RefundReason> = { STUDENT: "student-cancelled", COACH: "coach-cancelled", ADMIN: "admin-cancelled", SYSTEM: "coach-cancelled" };

/** The idempotency key of a booking's cancellation refund (one per booking, whoever cancels, however often). */
export const cancelRefundKey = (bookingId: string) => `cancel:${bookingId}`;

/**
 * POST /api/calcom/cancel-booking. The student gets the refund of the policy snapshot; the coach or an admin
 * cancelling refunds 100%. An unpaid hold is released. The booking row is locked for the whole decision, so of two
 * concurrent cancels one does the work and the other answers the same result. A dry run is this same code, rolled
 * back (inTransaction).
 */
export async function cancelBooking(caller: Caller, input: CancelBookingInput, now = new Date()): Promise<CancelResult> {
  const result = await inTransaction(input.dryRun === true, async (tx) => {
    const { booking, actor } = await lockBookingFor(tx, input.bookingId, caller);
    if (booking.status === "CONFIRMED" && booking.startsAt <= now) {
      throw new AppError("INVALID_STATE", booking.endsAt <= now ? "This session has already taken place, so it can no longer be cancelled." : "This session has already started, so it can no longer be cancelled.");
    }
    if (booking.status === "RESCHEDULED") {
      throw new AppError("INVALID_STATE", "This booking was moved to a new time; cancel the new booking instead.", { rescheduledToId: booking.rescheduledToId });
    }
    await cancelLocked(tx, booking, { actor, reason: input.reason, now });
    return cancelAnswer(tx, booking.id);
  });
  // The audit trail: who (ended_by on the row, the caller here), what, and the money decided.
  if (!input.dryRun) log.info("booking cancel requested", { bookingId: result.bookingId, callerId: caller.id, role: caller.role, status: result.status, refundMinor: result.refund.amountMinor, refundState: result.refund.status });
  return result;
}

export interface CancelOptions {
  actor: Actor;
  reason?: string;
  now: Date;
  /** The Cal.com booking is already cancelled or rejected there (the cancellation came from Cal.com). */
  calcomAlreadyEnded?: boolean;
  calcomStatus?: string;
  /** Skip the Checkout Session expiry (the session is already gone). */
  expireCheckout?: boolean;
}

/**
 * Cancels a locked booking inside the caller's transaction. Does nothing to a booking that has already ended (that
 * is what makes repeats harmless). Returns the amount newly refunded.
 */
export async function cancelLocked(tx: Tx, booking: Booking, options: CancelOptions): Promise<number> {
  const who = options.actor === "STUDENT" ? "the student" : options.actor === "COACH" ? "the coach" : options.actor === "ADMIN" ? "an administrator" : "Coachbook";
  const reason = options.reason ? `Cancelled by ${who}: ${options.reason}` : `Cancelled by ${who}.`;
  if (HELD.includes(booking.status)) {
    await releaseHold(tx, booking.id, "CANCELLED", reason, { endedBy: options.actor, cause: reason, expireCheckout: options.expireCheckout });
    if (options.calcomStatus) await tx.booking.update({ where: { id: booking.id }, data: { calcomStatus: options.calcomStatus } });
    // The student is told when someone else ended their hold (the coach declined it); their own cancel needs no mail.
    if (options.actor === "COACH") await notify(tx, { bookingId: booking.id, event: "booking.cancelled", cancelledBy: "coach", refundAmountMinor: 0 });
    return 0;
  }
  if (booking.status !== "CONFIRMED") return 0;
  const refundable = await refundableMinor(tx, booking.id);
  const amount = options.actor === "STUDENT" ? refundForCancellation(readPolicy(booking.policy), refundable, booking.startsAt, options.now) : refundable;
  await tx.booking.update({
    where: { id: booking.id },
    data: { status: "CANCELLED", cancelledAt: options.now, endedBy: options.actor, cancelReason: reason, ...(options.calcomStatus ? { calcomStatus: options.calcomStatus } : {}) },
  });
  let refunded = 0;
  if (amount > 0) {
    refunded = (await refundBooking(tx, booking.id, amount, REASON[options.actor], cancelRefundKey(booking.id), reason)).amountMinor;
  }
  await notify(tx, { bookingId: booking.id, event: "booking.cancelled", ...(CANCELLED_BY[options.actor] ? { cancelledBy: CANCELLED_BY[options.actor] } : {}), refundAmountMinor: refunded });
  // A dearer move that was waiting for its difference to be paid has nothing left to move.
  const pendingMoves = await tx.booking.findMany({ where: { rescheduledFromId: booking.id, status: { in: HELD } }, select: { id: true } });
  for (const move of pendingMoves) {
    await releaseHold(tx, move.id, "CANCELLED", "The original booking was cancelled before the difference was paid.", { endedBy: options.actor, cause: "original cancelled" });
  }
  if (!options.calcomAlreadyEnded) {
    // The Cal.com cancel is a durable job (retried); it records calcomReleasedAt so the webhook it causes is known as ours.
    await enqueue(tx, { kind: JOB.calcomRelease, payload: { bookingId: booking.id }, dedupeKey: `calcom-release:${booking.id}`, cause: reason });
  }
  return refunded;
}

/** The answer for a booking's cancellation, read from the rows (so a repeat answers the same). */
export async function cancelAnswer(tx: Tx, bookingId: string): Promise<CancelResult> {
  const booking = await tx.booking.findUniqueOrThrow({ where: { id: bookingId } });
  const refunds = await tx.refund.findMany({ where: { idempotencyKey: { startsWith: `refund:${cancelRefundKey(bookingId)}:` } } });
  const summary = refundSummary(refunds);
  return {
    bookingId: booking.id,
    status: booking.status,
    refund: { amountMinor: refunds.reduce((sum, r) => sum + r.amountMinor, 0), currency: booking.currency, status: summary.state },
    policy: readPolicy(booking.policy),
  };
}
