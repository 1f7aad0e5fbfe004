import { emit, NO_REQUEST, type EmulatorContext, type RequestInfo } from "../context";
import { invalidParam, invalidRequest, resourceMissing } from "../errors";
import { paginate, readPageParams, renderObject } from "../expand";
import { ID_PREFIXES, newId } from "../ids";
import { formatAmount } from "../money";
import { createMetadata, mergeMetadata, type ParamReader } from "../params";
import type { ChargeObject, ListObject, RefundObject } from "../types";

function chargeToRefund(ctx: EmulatorContext, paymentIntentId: string | undefined, chargeId: string | undefined): ChargeObject {
  if (chargeId) {
    const charge = ctx.state.charges.get(chargeId);
    if (!charge) throw resourceMissing("charge", chargeId, "charge");
    if (paymentIntentId && charge.payment_intent !== paymentIntentId) throw invalidParam("The charge does not belong to the given payment_intent.", "charge");
    return charge;
  }
  const pi = ctx.state.paymentIntents.get(paymentIntentId as string);
  if (!pi) throw resourceMissing("payment_intent", paymentIntentId as string, "payment_intent");
  const charge = pi.latest_charge ? ctx.state.charges.get(pi.latest_charge) : undefined;
  if (pi.status !== "succeeded" || !charge || charge.status !== "succeeded") {
    throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { code: "charge_not_refundable", param: "payment_intent" });
  }
  return charge;
}

/**
 * Refunds a succeeded charge in full (no `amount`) or in part. Never more than what remains:
 * a fully refunded charge answers `charge_already_refunded`, a too-large amount `amount_too_large`.
 */
export function createRefund(ctx: EmulatorContext, p: ParamReader, request: RequestInfo): RefundObject {
  const paymentIntentId = p.string("payment_intent");
  const chargeId = p.string("charge");
  const amount = p.integer("amount", { min: 1 });
  const reason = p.enum("reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null;
  const metadata = createMetadata(p.metadata());
  p.boolean("reverse_transfer");
  p.boolean("refund_application_fee");
  const expand = p.expand();
  p.ignore("instructions_email", "origin", "currency", "customer").done();
  if (!paymentIntentId && !chargeId) {
    throw invalidParam("One of the following params should be provided for this request: payment_intent or charge.", undefined, "parameter_missing");
  }
  const charge = chargeToRefund(ctx, paymentIntentId, chargeId);
  if (charge.status !== "succeeded") throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be refunded.`, { code: "charge_not_refundable" });
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
  const refundAmount = amount ?? remaining;
  if (refundAmount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(refundAmount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { code: "amount_too_large", param: "amount" },
    );
  }

  const refund: RefundObject = {
    id: newId(ID_PREFIXES.refund),
    object: "refund",
    created: ctx.clock.now(),
    amount: refundAmount,
    currency: charge.currency,
    charge: charge.id,
    payment_intent: charge.payment_intent as string,
    payment_method: charge.payment_method,
    customer: charge.customer,
    metadata,
    reason,
    status: takePending(ctx) ? "pending" : "succeeded",
    balance_transaction: newId(ID_PREFIXES.balanceTransaction),
    receipt_number: null,
    source_transfer_reversal: null,
    transfer_reversal: null,
    customer_account: null,
  };
  ctx.state.refunds.set(refund.id, refund);
  charge.amount_refunded += refundAmount;
  charge.refunded = charge.amount_refunded === charge.amount;
  emit(ctx, request, [
    ["refund.created", refund],
    ["charge.refunded", charge],
  ]);
  return renderObject(ctx.state, refund, expand);
}

export function retrieveRefund(ctx: EmulatorContext, id: string, p: ParamReader): RefundObject {
  const expand = p.expand();
  p.done();
  const refund = ctx.state.refunds.get(id);
  if (!refund) throw resourceMissing("refund", id);
  return renderObject(ctx.state, refund, expand);
}

export function updateRefund(ctx: EmulatorContext, id: string, p: ParamReader): RefundObject {
  const metadata = p.metadata();
  const expand = p.expand();
  p.done();
  const refund = ctx.state.refunds.get(id);
  if (!refund) throw resourceMissing("refund", id);
  refund.metadata = mergeMetadata(refund.metadata, metadata);
  return renderObject(ctx.state, refund, expand);
}

export function listRefunds(ctx: EmulatorContext, p: ParamReader): ListObject<RefundObject> {
  const paymentIntent = p.string("payment_intent");
  const charge = p.string("charge");
  const page = readPageParams(p);
  const expand = p.expand();
  p.ignore("created").done();
  const items = [...ctx.state.refunds.values()]
    .reverse()
    .filter((r) => (paymentIntent === undefined || r.payment_intent === paymentIntent) && (charge === undefined || r.charge === charge));
  return renderObject(ctx.state, paginate(items, page, "/v1/refunds"), expand);
}

function takePending(ctx: EmulatorContext): boolean {
  if (ctx.faults.pendingRefunds <= 0) return false;
  ctx.faults.pendingRefunds--;
  return true;
}

/**
 * Settles a pending refund. Stripe documents that a refund can move from pending to failed later
 * (https://docs.stripe.com/refunds, "failed refunds"; ../shared/stripe/NOTES.md section 3): the amount goes back
 * onto the charge, and `refund.updated` plus `refund.failed` are sent with `failure_reason` set.
 */
export function settleRefund(ctx: EmulatorContext, id: string, outcome: "succeeded" | "failed", failureReason = "insufficient_funds"): RefundObject {
  const refund = ctx.state.refunds.get(id);
  if (!refund) throw resourceMissing("refund", id);
  if (refund.status !== "pending") throw invalidRequest(`Refund ${id} is ${refund.status}, not pending.`);
  refund.status = outcome;
  const events: Array<[string, RefundObject | ChargeObject]> = [["refund.updated", refund]];
  if (outcome === "failed") {
    refund.failure_reason = failureReason;
    const charge = ctx.state.charges.get(refund.charge);
    if (charge) {
      charge.amount_refunded = Math.max(0, charge.amount_refunded - refund.amount);
      charge.refunded = charge.amount_refunded === charge.amount;
    }
    events.push(["refund.failed", refund]);
  }
  emit(ctx, NO_REQUEST, events);
  return refund;
}
