import type Stripe from "stripe";
import type { Prisma } from "@/lib/generated/prisma/client";
import { applyPaidCheckout } from "@/lib/booking/confirm";
import { releaseHold } from "@/lib/booking/release";
import { log } from "@/lib/log";
import { notify } from "@/lib/notifications";
import { isPaidSession, paidCheckoutFrom, stripeId } from "./stripe";

type Handler = (tx: Prisma.TransactionClient, event: Stripe.Event) => Promise<void>;


function bookingIdOf(session: Stripe.Checkout.Session): string | null {
  return session.client_reference_id ?? session.metadata?.bookingId ?? null;
}

async function onPaid(tx: Prisma.TransactionClient, session: Stripe.Checkout.Session) {
  const bookingId = bookingIdOf(session);
  if (!bookingId) return log.warn("paid checkout without a booking id", { sessionId: session.id });
  await applyPaidCheckout(tx, paidCheckoutFrom(session, bookingId, { amountMinor: 0, currency: "usd" }));
}

const checkoutCompleted: Handler = async (tx, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  if (isPaidSession(session)) return onPaid(tx, session);
  // A delayed payment method: the booking stays held until async_payment_succeeded / _failed.
  const bookingId = bookingIdOf(session);
  if (!bookingId) return;
  await tx.payment.updateMany({ where: { stripeCheckoutSessionId: session.id, status: "PENDING" }, data: { stripePaymentIntentId: stripeId(session.payment_intent) } });
};

const asyncSucceeded: Handler = (tx, event) => onPaid(tx, event.data.object as Stripe.Checkout.Session);

const asyncFailed: Handler = async (tx, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  const bookingId = bookingIdOf(session);
  if (!bookingId) return;
  await releaseHold(tx, bookingId, "PAYMENT_FAILED", "The payment failed.", { onlyForSession: session.id, expireCheckout: false });
  await tx.payment.updateMany({ where: { stripeCheckoutSessionId: session.id, status: "PENDING" }, data: { status: "FAILED" } });
};

const checkoutExpired: Handler = async (tx, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  const bookingId = bookingIdOf(session);
  if (!bookingId) return;
  await releaseHold(tx, bookingId, "EXPIRED", "The checkout expired before payment.", { onlyForSession: session.id, expireCheckout: false });
};

async function paymentForIntent(tx: Prisma.TransactionClient, paymentIntentId: string | null) {
  if (!paymentIntentId) return null;
  return tx.payment.findUnique({ where: { stripePaymentIntentId: paymentIntentId } });
}

function refundedStatus(amount: number, refunded: number) {
  return refunded <= 0 ? ("SUCCEEDED" as const) : refunded >= amount ? ("REFUNDED" as const) : ("PARTIALLY_REFUNDED" as const);
}

const chargeRefunded: Handler = async (tx, event) => {
  const charge = event.data.object as Stripe.Charge;
  const payment = await paymentForIntent(tx, stripeId(charge.payment_intent));
  if (!payment) return log.warn("refund for an unknown payment", { charge: charge.id });
  // Totals only grow; taking the maximum makes a late, older event harmless.
  const refunded = Math.max(payment.amountRefundedMinor, Math.min(charge.amount_refunded, payment.amountMinor));
  await tx.payment.update({ where: { id: payment.id }, data: { amountRefundedMinor: refunded, status: refundedStatus(payment.amountMinor, refunded) } });
};

const refundChanged: Handler = async (tx, event) => {
  const refund = event.data.object as Stripe.Refund;
  const payment = await paymentForIntent(tx, stripeId(refund.payment_intent));
  if (!payment) return log.warn("refund event for an unknown payment", { refund: refund.id });
  await tx.refund.upsert({
    where: { stripeRefundId: refund.id },
    create: {
      paymentId: payment.id,
      stripeRefundId: refund.id,
      amountMinor: refund.amount,
      currency: refund.currency,
      status: refund.status ?? "pending",
      reason: refund.metadata?.reason ?? refund.reason ?? "refund",
    },
    update: { status: refund.status ?? "pending" },
  });
  if (refund.status === "succeeded" || refund.status === "failed") await notify(tx, { bookingId: payment.bookingId, event: `refund.${refund.status}`, refundId: refund.id });
};

const disputeChanged: Handler = async (tx, event) => {
  const dispute = event.data.object as Stripe.Dispute;
  const payment = await paymentForIntent(tx, stripeId(dispute.payment_intent));
  if (!payment) return log.warn("dispute for an unknown payment", { dispute: dispute.id });
  await tx.payment.update({ where: { id: payment.id }, data: { disputeStatus: dispute.status } });
  log.warn("payment disputed", { paymentId: payment.id, bookingId: payment.bookingId, status: dispute.status });
};

/** The allow-list: every other event type is acknowledged and ignored. */
export const STRIPE_EVENT_HANDLERS: Partial<Record<Stripe.Event.Type, Handler>> = {
  "checkout.session.completed": checkoutCompleted,
  "checkout.session.async_payment_succeeded": asyncSucceeded,
  "checkout.session.async_payment_failed": asyncFailed,
  "checkout.session.expired": checkoutExpired,
  "charge.refunded": chargeRefunded,
  "refund.created": refundChanged,
  "refund.updated": refundChanged,
  "refund.failed": refundChanged,
  "charge.dispute.created": disputeChanged,
  "charge.dispute.updated": disputeChanged,
  "charge.dispute.closed": disputeChanged,
};
