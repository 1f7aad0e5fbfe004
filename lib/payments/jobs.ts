import Stripe from "stripe";
import { db } from "@/lib/db/client";
import { PermanentJobError, type JobHandler } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { getStripe, stripeId } from "./stripe";


/** Expire a Checkout Session whose hold ended, so it cannot be paid any more. A session that is no longer open needs nothing. */
const expireCheckout: JobHandler = async (payload) => {
  const sessionId = String(payload.sessionId);
  const stripe = getStripe();
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  if (session.status !== "open") return;
  try {
    await stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire:${sessionId}` });
  } catch (error) {
    // Paid in the meantime: the completed webhook (or the confirm fallback) settles it.
    if (error instanceof Stripe.errors.StripeInvalidRequestError) return;
    throw error;
  }
};

/**
 * Refund a payment, in full (amountMinor null) or in part. The idempotency key is derived from the business
 * intent, so a retried job can never refund twice; the ledger is updated here and again, harmlessly, by the
 * refund webhooks.
 */
const refund: JobHandler = async (payload) => {
  const payment = await db.payment.findUnique({ where: { id: String(payload.paymentId) } });
  if (!payment) throw new PermanentJobError(`payment ${String(payload.paymentId)} not found`);
  const stripe = getStripe();
  let paymentIntentId = payment.stripePaymentIntentId;
  if (!paymentIntentId && payment.stripeCheckoutSessionId) {
    const session = await stripe.checkout.sessions.retrieve(payment.stripeCheckoutSessionId);
    paymentIntentId = stripeId(session.payment_intent);
    if (paymentIntentId) await db.payment.update({ where: { id: payment.id }, data: { stripePaymentIntentId: paymentIntentId } });
  }
  if (!paymentIntentId) throw new PermanentJobError(`payment ${payment.id} has no PaymentIntent to refund`);
  const remaining = payment.amountMinor - payment.amountRefundedMinor;
  const amount = payload.amountMinor == null ? remaining : Math.min(Number(payload.amountMinor), remaining);
  if (amount <= 0) return;
  const reason = String(payload.reason ?? "refund");
  let created: Stripe.Refund;
  try {
    created = await stripe.refunds.create(
      { payment_intent: paymentIntentId, amount, reason: "requested_by_customer", metadata: { bookingId: payment.bookingId, reason } },
      { idempotencyKey: `refund:${reason}:${payment.id}:${payload.amountMinor ?? "full"}` },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "charge_already_refunded") return;
    throw error;
  }
  await db.$transaction(async (tx) => {
    await tx.refund.upsert({
      where: { stripeRefundId: created.id },
      create: { paymentId: payment.id, stripeRefundId: created.id, amountMinor: created.amount, currency: created.currency, status: created.status ?? "pending", reason },
      update: { status: created.status ?? "pending" },
    });
    // The ledger is the sum of the refund rows (each Stripe refund once, by id), never a running addition that a
    // replayed idempotent answer could count twice.
    const fresh = await tx.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { refunds: { where: { status: { notIn: ["failed", "canceled"] } } } } });
    const fromRows = fresh.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    const refunded = Math.min(fresh.amountMinor, Math.max(fresh.amountRefundedMinor, fromRows));
    await tx.payment.update({
      where: { id: payment.id },
      data: { amountRefundedMinor: refunded, status: refunded >= fresh.amountMinor ? "REFUNDED" : "PARTIALLY_REFUNDED" },
    });
  });
};

export const STRIPE_JOBS: Record<string, JobHandler> = {
  [JOB.stripeExpireCheckout]: expireCheckout,
  [JOB.stripeRefund]: refund,
};
