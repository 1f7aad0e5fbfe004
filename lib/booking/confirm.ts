import type { Prisma } from "@/lib/generated/prisma/client";
import { isExclusionViolation } from "@/lib/db/errors";
import { enqueue } from "@/lib/jobs/queue";
import { log } from "@/lib/log";
import { JOB } from "@/lib/jobs/kinds";

export interface PaidCheckout {
  bookingId: string;
  sessionId: string;
  paymentIntentId: string | null;
  amountMinor: number;
  currency: string;
}

export type ConfirmOutcome = "confirmed" | "already-confirmed" | "reacquired" | "refunding" | "unknown-booking";

/**
 * Applies a paid Checkout Session to its booking, inside the caller's transaction (the webhook event row or the
 * confirm route's own transaction). Guarded updates make it idempotent and safe in any order:
 * - a held booking becomes CONFIRMED and the Cal.com confirm is queued;
 * - an already confirmed booking is left alone;
 * - a booking whose hold was released (expired, failed) is re-acquired if its time is still free, otherwise the
 *   payment is refunded in full by a queued job (the exclusion constraint decides "still free", in a savepoint).
 */
export async function applyPaidCheckout(tx: Prisma.TransactionClient, paid: PaidCheckout): Promise<ConfirmOutcome> {
  const booking = await tx.booking.findUnique({ where: { id: paid.bookingId } });
  if (!booking) {
    log.warn("paid checkout for an unknown booking", { bookingId: paid.bookingId, sessionId: paid.sessionId });
    return "unknown-booking";
  }
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
    update: { status: "SUCCEEDED", stripePaymentIntentId: paid.paymentIntentId ?? undefined, amountMinor: paid.amountMinor },
  });
  // A refund recorded earlier (an out-of-order charge.refunded) must not be overwritten by the SUCCEEDED above.
  if (payment.amountRefundedMinor > 0) {
    await tx.payment.update({
      where: { id: payment.id },
      data: { status: payment.amountRefundedMinor >= payment.amountMinor ? "REFUNDED" : "PARTIALLY_REFUNDED" },
    });
  }

  const now = new Date();
  const confirmed = await tx.booking.updateMany({
    where: { id: booking.id, status: "PENDING_PAYMENT" },
    data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null },
  });
  if (confirmed.count === 1) {
    await enqueueCalcomConfirm(tx, booking.id);
    return "confirmed";
  }
  if (booking.status === "CONFIRMED") return "already-confirmed";

  // The hold was released before the money arrived. Take the slot back if nobody else has it.
  await tx.$executeRawUnsafe("SAVEPOINT reacquire");
  try {
    const reacquired = await tx.booking.updateMany({
      where: { id: booking.id, status: { in: ["EXPIRED", "PAYMENT_FAILED", "CANCELLED"] }, startsAt: { gt: now } },
      data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null, cancelledAt: null, cancelReason: null },
    });
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT reacquire");
    if (reacquired.count === 1) {
      await enqueueCalcomConfirm(tx, booking.id);
      return "reacquired";
    }
  } catch (error) {
    if (!isExclusionViolation(error)) throw error;
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT reacquire");
  }
  await tx.booking.update({
    where: { id: booking.id },
    data: { cancelReason: "Paid after the hold ended and the time was taken; refunded in full." },
  });
  await enqueue(tx, {
    kind: JOB.stripeRefund,
    payload: { paymentId: payment.id, amountMinor: null, reason: "slot-lost" },
    dedupeKey: `refund:slot-lost:${paid.sessionId}`,
  });
  return "refunding";
}

async function enqueueCalcomConfirm(tx: Prisma.TransactionClient, bookingId: string) {
  // Always queued: the job itself finds out whether the coach uses Cal.com and whether a Cal.com booking exists.
  await enqueue(tx, { kind: JOB.calcomConfirm, payload: { bookingId }, dedupeKey: `calcom-confirm:${bookingId}` });
}
