import type Stripe from "stripe";
import type { Prisma } from "@/lib/generated/prisma/client";
import { applyPaidCheckout, awaitFunds } from "@/lib/booking/confirm";
import { releaseHold } from "@/lib/booking/release";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { recordFinding } from "@/lib/ops/findings";
import { recomputeLedger } from "./ledger";
import { upsertRefundFromStripe } from "./jobs";
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

/**
 * completed + paid: confirm. completed + unpaid: a delayed payment method (SEPA, ACH, Bacs) was used; Stripe says
 * the money arrives days later with async_payment_succeeded or _failed (../shared/stripe/NOTES.md, webhook table).
 * The hold becomes AWAITING_FUNDS: out of the 30-minute sweeper's reach, still blocking the time, until a deadline
 * before the session.
 */
const checkoutCompleted: Handler = async (tx, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  if (isPaidSession(session)) return onPaid(tx, session);
  const bookingId = bookingIdOf(session);
  if (!bookingId) return;
  await tx.payment.updateMany({ where: { stripeCheckoutSessionId: session.id, status: "PENDING" }, data: { stripePaymentIntentId: stripeId(session.payment_intent) } });
  await awaitFunds(tx, bookingId, session.id);
};

const asyncSucceeded: Handler = (tx, event) => onPaid(tx, event.data.object as Stripe.Checkout.Session);

const asyncFailed: Handler = async (tx, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  const bookingId = bookingIdOf(session);
  if (!bookingId) return;
  await releaseHold(tx, bookingId, "PAYMENT_FAILED", "The payment failed.", { onlyForSession: session.id, expireCheckout: false, cause: "payment failed" });
  await tx.payment.updateMany({ where: { stripeCheckoutSessionId: session.id, status: "PENDING" }, data: { status: "FAILED" } });
};

const checkoutExpired: Handler = async (tx, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  const bookingId = bookingIdOf(session);
  if (!bookingId) return;
  await releaseHold(tx, bookingId, "EXPIRED", "The checkout expired before payment.", { onlyForSession: session.id, expireCheckout: false, onlyHeld: true, cause: "checkout expired" });
};

/**
 * The payment a refund or dispute belongs to. One we have not recorded yet, but whose object names one of our
 * bookings, is answered non-2xx (RETRY_LATER) so Stripe delivers it again after the payment is recorded: never
 * dropped. One that names no booking of ours is not ours (another integration on the same account) and is ignored.
 */
async function paymentFor(tx: Prisma.TransactionClient, paymentIntentId: string | null, metadata: Stripe.Metadata | null | undefined, what: string) {
  const payment = paymentIntentId ? await tx.payment.findUnique({ where: { stripePaymentIntentId: paymentIntentId } }) : null;
  if (payment) return payment;
  const bookingId = metadata?.bookingId;
  if (bookingId && (await tx.booking.findUnique({ where: { id: bookingId }, select: { id: true } }))) {
    throw new AppError("RETRY_LATER", `The payment for this ${what} is not recorded yet; deliver it again later.`);
  }
  if (!bookingId && paymentIntentId) {
    // No metadata to tell (disputes carry none): keep it until the payment is known rather than lose it.
    if (what === "dispute") throw new AppError("RETRY_LATER", "The disputed payment is not recorded yet; deliver it again later.");
  }
  log.warn(`${what} for a payment that is not ours`, { paymentIntentId });
  return null;
}

/** A hint that refunds changed (e.g. one made in the Stripe Dashboard): read them from Stripe in a job. */
const chargeRefunded: Handler = async (tx, event) => {
  const charge = event.data.object as Stripe.Charge;
  const payment = await paymentFor(tx, stripeId(charge.payment_intent), charge.metadata, "refund");
  if (!payment?.stripePaymentIntentId) return;
  await enqueue(tx, { kind: JOB.stripeSyncRefunds, payload: { paymentIntentId: payment.stripePaymentIntentId }, dedupeKey: `sync-refunds:${event.id}`, cause: "charge.refunded" });
};

const refundChanged: Handler = async (tx, event) => {
  const refund = event.data.object as Stripe.Refund;
  const ours = refund.metadata?.refundId ? await tx.refund.findUnique({ where: { id: refund.metadata.refundId }, include: { payment: true } }) : null;
  const payment = ours?.payment ?? (await paymentFor(tx, stripeId(refund.payment_intent), refund.metadata, "refund"));
  if (!payment) return;
  await upsertRefundFromStripe(tx, payment.id, payment.bookingId, refund);
  await recomputeLedger(tx, payment.id);
  // One mail per Stripe refund and outcome (the notification key carries the refund id), whatever the replays.
  if (refund.status === "succeeded" || refund.status === "failed") await notify(tx, { bookingId: payment.bookingId, event: `refund.${refund.status}`, refundId: refund.id });
};

const disputeChanged: Handler = async (tx, event) => {
  const dispute = event.data.object as Stripe.Dispute;
  const payment = await paymentFor(tx, stripeId(dispute.payment_intent), dispute.metadata, "dispute");
  if (!payment) return;
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
