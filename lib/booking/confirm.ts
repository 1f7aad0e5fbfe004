import type { Prisma } from "@/lib/generated/prisma/client";
import { isExclusionViolation } from "@/lib/db/errors";
import { enqueue } from "@/lib/jobs/queue";
import { log } from "@/lib/log";
import { JOB } from "@/lib/jobs/kinds";
import { notify } from "@/lib/notifications";

export interface PaidCheckout {
  bookingId: string;
  sessionId: string;
  paymentIntentId: string | null;
  amountMinor: number;
  currency: string;
}

export type ConfirmOutcome = "confirmed" | "already-applied" | "reacquired" | "refunding" | "unknown-booking";

const APPLIED = new Set(["SUCCEEDED", "REFUNDED", "PARTIALLY_REFUNDED"]);

/**
 * Applies a paid Checkout Session to its booking, inside the caller's transaction (the webhook event row or the
 * confirm route's own transaction). The booking row is locked first, so the webhook and the success-page
 * fallback arriving together are applied one after the other, and the second one sees the first one's result.
 * - A session already applied (its payment recorded as paid) changes nothing, whatever happened since (a coach
 *   cancellation and refund must not be undone by a late redelivery).
 * - A held booking becomes CONFIRMED and the Cal.com confirm is queued.
 * - A booking whose hold lapsed (expired, payment failed) is re-acquired if its time is still free, otherwise
 *   the payment is refunded in full by a queued job (the exclusion constraint decides "still free", in a
 *   savepoint). A booking cancelled for another reason is refunded.
 */
export async function applyPaidCheckout(tx: Prisma.TransactionClient, paid: PaidCheckout): Promise<ConfirmOutcome> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM bookings WHERE id = ${paid.bookingId} FOR UPDATE`;
  const booking = locked.length ? await tx.booking.findUnique({ where: { id: paid.bookingId } }) : null;
  if (!booking) {
    log.warn("paid checkout for an unknown booking", { bookingId: paid.bookingId, sessionId: paid.sessionId });
    return "unknown-booking";
  }
  const existing = await tx.payment.findUnique({ where: { stripeCheckoutSessionId: paid.sessionId } });
  if (existing && APPLIED.has(existing.status)) return "already-applied";
  const refunded = existing?.amountRefundedMinor ?? 0;
  const payment = await tx.payment.upsert({
    where: { stripeCheckoutSessionId: paid.sessionId },
    create: {
      bookingId: booking.id,
      amountMinor: paid.amountMinor,
      currency: paid.currency,
      status: "SUCCEEDED",
      stripeCheckoutSessionId: paid.sessionId,
      stripePaymentIntentId: paid.paymentIntentId,
    },
    update: {
      // A refund recorded earlier (an out-of-order charge.refunded) keeps its status.
      status: refunded <= 0 ? "SUCCEEDED" : refunded >= paid.amountMinor ? "REFUNDED" : "PARTIALLY_REFUNDED",
      stripePaymentIntentId: paid.paymentIntentId ?? undefined,
      amountMinor: paid.amountMinor,
    },
  });

  const now = new Date();
  if (booking.status === "PENDING_PAYMENT") {
    await tx.booking.update({ where: { id: booking.id }, data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null } });
    await enqueueCalcomConfirm(tx, booking.id);
    await notify(tx, { bookingId: booking.id, event: "booking.confirmed" });
    return "confirmed";
  }
  if (booking.status === "CONFIRMED") return "already-applied";

  if ((booking.status === "EXPIRED" || booking.status === "PAYMENT_FAILED") && booking.startsAt > now) {
    // The hold lapsed before the money arrived. Take the slot back if nobody else has it.
    await tx.$executeRawUnsafe("SAVEPOINT reacquire");
    try {
      await tx.booking.update({
        where: { id: booking.id },
        data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null, cancelledAt: null, cancelReason: null },
      });
      await tx.$executeRawUnsafe("RELEASE SAVEPOINT reacquire");
      await enqueueCalcomConfirm(tx, booking.id);
      await notify(tx, { bookingId: booking.id, event: "booking.confirmed" });
      return "reacquired";
    } catch (error) {
      if (!isExclusionViolation(error)) throw error;
      await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT reacquire");
    }
  }
  const lapsed = booking.status === "EXPIRED" || booking.status === "PAYMENT_FAILED";
  await tx.booking.update({
    where: { id: booking.id },
    data: {
      cancelReason: lapsed
        ? "Paid after the hold ended and the time was taken; refunded in full."
        : "Paid after the booking was cancelled; refunded in full.",
    },
  });
  await enqueue(tx, {
    kind: JOB.stripeRefund,
    payload: { paymentId: payment.id, amountMinor: null, reason: "paid-too-late" },
    dedupeKey: `refund:paid-too-late:${paid.sessionId}`,
  });
  return "refunding";
}

async function enqueueCalcomConfirm(tx: Prisma.TransactionClient, bookingId: string) {
  // Always queued: the job itself finds out whether the coach uses Cal.com and whether a Cal.com booking exists.
  await enqueue(tx, { kind: JOB.calcomConfirm, payload: { bookingId }, dedupeKey: `calcom-confirm:${bookingId}` });
}
