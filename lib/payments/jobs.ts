import Stripe from "stripe";
import { z } from "zod";
import { applyPaidCheckout } from "@/lib/booking/confirm";
import { db } from "@/lib/db/client";
import { defineJob, PermanentJobError, type JobHandler } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { recordFinding } from "@/lib/ops/findings";
import { recomputeLedger, stripeRefundReason, type RefundReason } from "./ledger";
import { getStripe, isPaidSession, paidCheckoutFrom, stripeId } from "./stripe";

/**
 * Expire a Checkout Session whose hold ended, so it cannot be paid any more. A session that was paid meanwhile
 * (the student paid in the last seconds) is applied instead: the booking is re-acquired or refunded by the same
 * guarded routine the webhook uses, so no payment waits for a webhook that may come late.
 */
const expireCheckout = defineJob(z.object({ sessionId: z.string().min(1) }), async ({ sessionId }) => {
  const stripe = getStripe();
  let session = await stripe.checkout.sessions.retrieve(sessionId);
  if (session.status === "open") {
    try {
      session = await stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire:${sessionId}` });
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      session = await stripe.checkout.sessions.retrieve(sessionId);
    }
  }
  if (isPaidSession(session)) await applyPaidSession(session);
});

async function applyPaidSession(session: Stripe.Checkout.Session) {
  // The session's booking through its payment row (unique by session, written with the booking's session id):
  // bookings.stripe_checkout_session_id has no index, so create-booking's checkout UPDATE stays HOT.
  const payment = await db.payment.findUnique({ where: { stripeCheckoutSessionId: session.id }, select: { booking: { select: { id: true, priceMinor: true, currency: true } } } });
  const booking = payment?.booking;
  if (!booking) return;
  await db.$transaction((tx) => applyPaidCheckout(tx, paidCheckoutFrom(session, booking.id, { amountMinor: booking.priceMinor, currency: booking.currency })));
}

/**
 * Send a recorded refund (lib/payments/ledger.ts) to Stripe with the amount and idempotency key fixed when it was
 * decided, so a retried job can neither refund twice nor send a different amount under the same key. Stripe's
 * answer (status, failure) is written back; a refund Stripe refuses is marked failed and shown to an operator.
 */
const sendRefund = defineJob(z.object({ refundId: z.string().min(1) }), async ({ refundId }) => {
  const row = await db.refund.findUnique({ where: { id: refundId }, include: { payment: true } });
  if (!row) throw new PermanentJobError(`refund ${refundId} not found`);
  if (row.status !== "requested") return;
  const stripe = getStripe();
  const payment = row.payment;
  let paymentIntentId = payment.stripePaymentIntentId;
  if (!paymentIntentId && payment.stripeCheckoutSessionId) {
    const session = await stripe.checkout.sessions.retrieve(payment.stripeCheckoutSessionId);
    paymentIntentId = stripeId(session.payment_intent);
    if (paymentIntentId) await db.payment.update({ where: { id: payment.id }, data: { stripePaymentIntentId: paymentIntentId } });
  }
  if (!paymentIntentId) return markFailed(row.id, payment.bookingId, "The payment has no PaymentIntent to refund.");
  let created: Stripe.Refund;
  try {
    created = await stripe.refunds.create(
      {
        payment_intent: paymentIntentId,
        amount: row.amountMinor,
        reason: stripeRefundReason(row.reason as RefundReason),
        metadata: { bookingId: payment.bookingId, refundId: row.id, reason: row.reason },
      },
      { idempotencyKey: row.idempotencyKey ?? `refund:${row.id}` },
    );
  } catch (error) {
    // Stripe refuses for good (already refunded, amount too large, charge not refundable): retrying cannot help.
    if (error instanceof Stripe.errors.StripeInvalidRequestError) return markFailed(row.id, payment.bookingId, `Stripe refused the refund: ${error.code ?? "invalid_request"}.`);
    throw error;
  }
  await db.$transaction(async (tx) => {
    const fresh = await tx.refund.findUniqueOrThrow({ where: { id: row.id } });
    // A webhook may already have recorded a later state (e.g. failed); do not step back from it.
    const status = laterStatus(fresh.status, created.status ?? "pending");
    await tx.refund.update({ where: { id: row.id }, data: { stripeRefundId: created.id, status, failureReason: created.failure_reason ?? fresh.failureReason } });
    await recomputeLedger(tx, payment.id);
    if (status === "failed" || status === "canceled") await refundFailedFinding(tx, row.id, payment.bookingId, created.failure_reason ?? status);
  });
});

async function markFailed(refundId: string, bookingId: string, reason: string) {
  await db.$transaction(async (tx) => {
    const refund = await tx.refund.update({ where: { id: refundId }, data: { status: "failed", failureReason: reason } });
    await recomputeLedger(tx, refund.paymentId);
    await refundFailedFinding(tx, refundId, bookingId, reason);
  });
  log.error("refund failed", { refundId, bookingId, reason });
}

export async function refundFailedFinding(tx: Parameters<typeof recordFinding>[0], refundId: string, bookingId: string, reason: string) {
  await recordFinding(tx, { kind: "refund-failed", subject: refundId, bookingId, detail: `A refund did not go through (${reason}). No money was returned; refund it by hand or retry.` });
}

const RANK: Record<string, number> = { requested: 0, pending: 1, requires_action: 1, succeeded: 2, failed: 3, canceled: 3 };

/** Refund states only move forward (requested, pending, succeeded, failed/canceled), whatever order events arrive in. */
export function laterStatus(current: string, incoming: string): string {
  return (RANK[incoming] ?? 1) >= (RANK[current] ?? 0) ? incoming : current;
}

/**
 * A charge.refunded hint (for example a refund made in the Stripe Dashboard): read the PaymentIntent's refunds from
 * Stripe and record each one once, by its id.
 */
const syncRefunds = defineJob(z.object({ paymentIntentId: z.string().min(1) }), async ({ paymentIntentId }) => {
  const payment = await db.payment.findUnique({ where: { stripePaymentIntentId: paymentIntentId } });
  if (!payment) return;
  const refunds = await getStripe().refunds.list({ payment_intent: paymentIntentId, limit: 100 });
  await db.$transaction(async (tx) => {
    for (const refund of refunds.data) await upsertRefundFromStripe(tx, payment.id, payment.bookingId, refund);
    await recomputeLedger(tx, payment.id);
  });
});

export async function upsertRefundFromStripe(
  tx: Parameters<typeof recordFinding>[0],
  paymentId: string,
  bookingId: string,
  refund: Stripe.Refund,
): Promise<void> {
  const ours = refund.metadata?.refundId ? await tx.refund.findUnique({ where: { id: refund.metadata.refundId } }) : null;
  const row = (await tx.refund.findUnique({ where: { stripeRefundId: refund.id } })) ?? (ours?.paymentId === paymentId ? ours : null);
  const incoming = refund.status ?? "pending";
  if (row) {
    const status = laterStatus(row.status, incoming);
    await tx.refund.update({ where: { id: row.id }, data: { stripeRefundId: refund.id, status, failureReason: refund.failure_reason ?? row.failureReason } });
    if ((status === "failed" || status === "canceled") && row.status !== status) await refundFailedFinding(tx, row.id, bookingId, refund.failure_reason ?? status);
    return;
  }
  const created = await tx.refund.create({
    data: { paymentId, stripeRefundId: refund.id, amountMinor: refund.amount, currency: refund.currency, status: incoming, reason: refund.metadata?.reason ?? "refund", failureReason: refund.failure_reason ?? null },
  });
  if (incoming === "failed" || incoming === "canceled") await refundFailedFinding(tx, created.id, bookingId, refund.failure_reason ?? incoming);
}

export const STRIPE_JOBS: Record<string, JobHandler> = {
  [JOB.stripeExpireCheckout]: expireCheckout,
  [JOB.stripeRefund]: sendRefund,
  [JOB.stripeSyncRefunds]: syncRefunds,
};
