import type { Prisma } from "@/lib/generated/prisma/client";
import { isExclusionViolation } from "@/lib/db/errors";
import { enqueue } from "@/lib/jobs/queue";
import { log } from "@/lib/log";
import { JOB } from "@/lib/jobs/kinds";
import { recordFinding } from "@/lib/ops/findings";
import { recomputeLedger, requestRefund } from "@/lib/payments/ledger";
import { applyPaidDifference, isRescheduleHold } from "./reschedule-payment";
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
const HELD = new Set(["PENDING_PAYMENT", "AWAITING_FUNDS"]);

/**
 * Applies a paid Checkout Session to its booking, inside the caller's transaction (the webhook event row, the
 * confirm route, or a job that asked Stripe). The booking row is locked first, so callers arriving together are
 * applied one after the other, and the second sees the first one's result.
 * - A session already applied (its payment recorded as paid) changes nothing, whatever happened since (a coach
 *   cancellation and refund must not be undone by a late redelivery).
 * - A paid amount or currency that differs from the booking's price snapshot is never confirmed: it is refunded in
 *   full and shown to an operator.
 * - A held booking (PENDING_PAYMENT or AWAITING_FUNDS) becomes CONFIRMED and the Cal.com confirm is queued.
 * - A booking whose hold lapsed (expired, payment failed) is re-acquired if its time is still free and the session
 *   has not started; otherwise the payment is refunded in full. The exclusion constraint decides "still free", in a
 *   savepoint. A booking that ended for any other reason (cancelled, refused by Cal.com, rescheduled) is refunded.
 */
export async function applyPaidCheckout(tx: Prisma.TransactionClient, paid: PaidCheckout): Promise<ConfirmOutcome> {
  // A dearer move's difference has its own rules and lock order (lib/booking/reschedule-payment.ts).
  if (await isRescheduleHold(tx, paid.bookingId)) return applyPaidDifference(tx, paid);
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM bookings WHERE id = ${paid.bookingId} FOR UPDATE`;
  const booking = locked.length ? await tx.booking.findUnique({ where: { id: paid.bookingId } }) : null;
  if (!booking) {
    log.warn("paid checkout for an unknown booking", { bookingId: paid.bookingId, sessionId: paid.sessionId });
    return "unknown-booking";
  }
  const existing = await tx.payment.findUnique({ where: { stripeCheckoutSessionId: paid.sessionId } });
  if (existing && APPLIED.has(existing.status)) return "already-applied";
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
    update: { status: "SUCCEEDED", stripePaymentIntentId: paid.paymentIntentId ?? undefined, amountMinor: paid.amountMinor, currency: paid.currency },
  });
  // Refund rows recorded before the payment (out-of-order events) count from now on.
  await recomputeLedger(tx, payment.id);

  const now = new Date();
  const matches = paid.amountMinor === booking.priceMinor && paid.currency.toLowerCase() === booking.currency.toLowerCase();
  if (!matches) {
    const reason = `Paid ${paid.amountMinor} ${paid.currency} for a price of ${booking.priceMinor} ${booking.currency}; refunded in full.`;
    if (HELD.has(booking.status)) {
      await tx.booking.update({ where: { id: booking.id }, data: { status: "CANCELLED", cancelledAt: now, cancelReason: "The amount paid did not match the price, so the booking was not confirmed and the payment is being refunded.", endedBy: "SYSTEM", holdExpiresAt: null } });
      await enqueue(tx, { kind: JOB.calcomRelease, payload: { bookingId: booking.id }, dedupeKey: `calcom-release:${booking.id}`, cause: "amount mismatch" });
    }
    await recordFinding(tx, { kind: "amount-mismatch", subject: paid.sessionId, bookingId: booking.id, detail: reason, fixed: true });
    await requestRefund(tx, { paymentId: payment.id, amountMinor: null, reason: "amount-mismatch", key: `mismatch:${paid.sessionId}` });
    return "refunding";
  }

  if (HELD.has(booking.status)) {
    await tx.booking.update({ where: { id: booking.id }, data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null } });
    await enqueueCalcomConfirm(tx, booking.id);
    await notify(tx, { bookingId: booking.id, event: "booking.confirmed" });
    return "confirmed";
  }
  if (booking.status === "CONFIRMED") return "already-applied";

  const lapsed = booking.status === "EXPIRED" || booking.status === "PAYMENT_FAILED";
  if (lapsed && booking.startsAt > now) {
    // The hold lapsed before the money arrived. Take the slot back if nobody else has it.
    await tx.$executeRawUnsafe("SAVEPOINT reacquire");
    try {
      await tx.booking.update({
        where: { id: booking.id },
        data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null, cancelledAt: null, cancelReason: null, endedBy: null },
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
  await tx.booking.update({
    where: { id: booking.id },
    data: {
      cancelReason: lapsed
        ? booking.startsAt > now
          ? "Paid after the hold ended and the time was taken; refunded in full."
          : "Paid after the session's time had passed; refunded in full."
        : `${booking.cancelReason ?? "The booking had ended"}. A later payment was refunded in full.`,
    },
  });
  await requestRefund(tx, { paymentId: payment.id, amountMinor: null, reason: "paid-too-late", key: `paid-too-late:${paid.sessionId}`, cause: "paid after the booking ended" });
  return "refunding";
}

/**
 * Checkout completed but the money is on its way (a delayed payment method). The hold stays, as AWAITING_FUNDS,
 * until the funds deadline: a day before the session (or its start, when it is closer), after which the time is
 * released and money that still arrives is handled like any late payment (re-acquire or refund).
 */
export async function awaitFunds(tx: Prisma.TransactionClient, bookingId: string, sessionId: string): Promise<boolean> {
  const booking = await tx.booking.findUnique({ where: { id: bookingId }, select: { startsAt: true } });
  if (!booking) return false;
  const deadline = fundsDeadline(booking.startsAt, new Date());
  const updated = await tx.booking.updateMany({
    where: { id: bookingId, status: "PENDING_PAYMENT", stripeCheckoutSessionId: sessionId },
    data: { status: "AWAITING_FUNDS", holdExpiresAt: deadline },
  });
  return updated.count === 1;
}

export const FUNDS_DEADLINE_HOURS = 24;

export function fundsDeadline(startsAt: Date, now: Date): Date {
  const dayBefore = new Date(startsAt.getTime() - FUNDS_DEADLINE_HOURS * 3_600_000);
  return dayBefore > now ? dayBefore : startsAt;
}

async function enqueueCalcomConfirm(tx: Prisma.TransactionClient, bookingId: string) {
  // Always queued: the job itself finds out whether the coach uses Cal.com and whether a Cal.com booking exists.
  await enqueue(tx, { kind: JOB.calcomConfirm, payload: { bookingId }, dedupeKey: `calcom-confirm:${bookingId}`, cause: "payment confirmed" });
}
