import { emit, type EmulatorContext, type RequestInfo } from "../context";
import { cardError, invalidParam, invalidRequest, missingParam, resourceMissing } from "../errors";
import { paginate, readPageParams, renderObject } from "../expand";
import type { DeclineSpec } from "../faults";
import { declineSpec } from "../faults";
import { ID_PREFIXES, newId, randomToken } from "../ids";
import { formatAmount, isKnownCurrency, MAX_AMOUNT, minimumChargeAmount } from "../money";
import { createMetadata, mergeMetadata, type ParamReader } from "../params";
import type { ApiObject, ChargeObject, ListObject, PaymentIntentObject, PaymentMethodObject } from "../types";
import { requireCustomer } from "./customers";

/** Stripe's test PaymentMethod tokens; each use creates a fresh `pm_…` like Stripe does. */
const TEST_TOKENS: Record<string, { brand: string; last4: string; behavior?: string }> = {
  pm_card_visa: { brand: "visa", last4: "4242" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444" },
  pm_card_amex: { brand: "amex", last4: "8431" },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", behavior: "generic_decline" },
  pm_card_chargeDeclinedInsufficientFunds: { brand: "visa", last4: "9995", behavior: "insufficient_funds" },
  pm_card_chargeDeclinedExpiredCard: { brand: "visa", last4: "0069", behavior: "expired_card" },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", behavior: "authentication_required" },
};

export type ChargeEvents = Array<[string, ApiObject]>;

export function validateCurrency(currency: string, param: string): string {
  const lower = currency.toLowerCase();
  if (!isKnownCurrency(lower)) throw invalidParam(`Invalid currency: ${currency}. Stripe currently supports these currencies: usd, eur, gbp, …`, param);
  return lower;
}

export function validateAmount(amount: number, currency: string, param: string): void {
  const minimum = minimumChargeAmount(currency);
  if (minimum !== undefined && amount < minimum) {
    throw invalidParam(`Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, param, "amount_too_small");
  }
  if (amount > MAX_AMOUNT) throw invalidParam(`Amount must be no more than ${formatAmount(MAX_AMOUNT, currency)}`, param, "amount_too_large");
}

export function insertPaymentMethod(
  ctx: EmulatorContext,
  card: { brand: string; last4: string },
  billing: { email: string | null; name: string | null } = { email: null, name: null },
  behavior?: string,
): PaymentMethodObject {
  const pm: PaymentMethodObject = {
    id: newId(ID_PREFIXES.paymentMethod),
    object: "payment_method",
    livemode: false,
    created: ctx.clock.now(),
    type: "card",
    card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding: "credit", country: "US", display_brand: card.brand },
    billing_details: { address: null, email: billing.email, name: billing.name, phone: null, tax_id: null },
    customer: null,
    metadata: {},
  };
  ctx.state.paymentMethods.set(pm.id, pm);
  if (behavior) ctx.state.paymentMethodBehaviors.set(pm.id, behavior);
  return pm;
}

/** A stored `pm_…`, or a fresh one made from a test token such as `pm_card_visa`. */
export function resolvePaymentMethod(ctx: EmulatorContext, id: string, param = "payment_method"): PaymentMethodObject {
  const token = TEST_TOKENS[id];
  if (token) return insertPaymentMethod(ctx, token, undefined, token.behavior);
  const pm = ctx.state.paymentMethods.get(id);
  if (!pm) throw resourceMissing("PaymentMethod", id, param);
  return pm;
}

/** The decline to apply to this attempt: a queued fault first, then the card's own test behaviour. */
export function nextDecline(ctx: EmulatorContext, pm: PaymentMethodObject): DeclineSpec | undefined {
  const fault = ctx.faults.takeDecline();
  if (fault) return fault;
  const behavior = ctx.state.paymentMethodBehaviors.get(pm.id);
  return behavior ? declineSpec(behavior) : undefined;
}

function insertCharge(ctx: EmulatorContext, pi: PaymentIntentObject, pm: PaymentMethodObject, status: ChargeObject["status"], decline?: DeclineSpec): ChargeObject {
  const succeeded = status === "succeeded";
  const charge: ChargeObject = {
    id: newId(ID_PREFIXES.charge),
    object: "charge",
    livemode: false,
    created: ctx.clock.now(),
    amount: pi.amount,
    amount_captured: succeeded ? pi.amount : 0,
    amount_refunded: 0,
    currency: pi.currency,
    status,
    paid: succeeded,
    captured: succeeded,
    refunded: false,
    disputed: false,
    customer: pi.customer,
    description: pi.description,
    metadata: { ...pi.metadata },
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: { type: "card", card: { brand: pm.card.brand, last4: pm.card.last4, exp_month: pm.card.exp_month, exp_year: pm.card.exp_year, funding: "credit", country: "US" } },
    billing_details: { ...pm.billing_details },
    failure_code: decline ? decline.code : null,
    failure_message: decline ? decline.message : null,
    outcome:
      status === "pending"
        ? null
        : {
            advice_code: null,
            network_advice_code: null,
            network_decline_code: null,
            type: succeeded ? "authorized" : "issuer_declined",
            network_status: succeeded ? "approved_by_network" : "declined_by_network",
            reason: decline?.declineCode ?? null,
            risk_level: "normal",
            seller_message: succeeded ? "Payment complete." : "The bank did not return any further details with this decline.",
          },
    balance_transaction: succeeded ? newId(ID_PREFIXES.balanceTransaction) : null,
    receipt_email: pi.receipt_email,
    receipt_url: `${ctx.publicUrl}/receipts/${pi.id}`,
    application_fee_amount: pi.application_fee_amount,
    transfer_data: pi.transfer_data ? { destination: pi.transfer_data.destination, amount: pi.transfer_data.amount ?? null } : null,
    transfer_group: pi.transfer_group,
    on_behalf_of: pi.on_behalf_of,
  };
  ctx.state.charges.set(charge.id, charge);
  return charge;
}

function attachIfSaving(ctx: EmulatorContext, pi: PaymentIntentObject, pm: PaymentMethodObject): void {
  if (pi.setup_future_usage && pi.customer && !pm.customer) pm.customer = pi.customer;
}

export function markSucceeded(ctx: EmulatorContext, pi: PaymentIntentObject, pm: PaymentMethodObject, charge?: ChargeObject): ChargeEvents {
  const ch = charge ?? insertCharge(ctx, pi, pm, "succeeded");
  if (charge) {
    ch.status = "succeeded";
    ch.paid = true;
    ch.captured = true;
    ch.amount_captured = ch.amount;
    ch.balance_transaction = newId(ID_PREFIXES.balanceTransaction);
    ch.outcome = { advice_code: null, network_advice_code: null, network_decline_code: null, type: "authorized", network_status: "approved_by_network", reason: null, risk_level: "normal", seller_message: "Payment complete." };
  }
  pi.status = "succeeded";
  pi.amount_received = pi.amount;
  pi.latest_charge = ch.id;
  pi.payment_method = pm.id;
  pi.last_payment_error = null;
  pi.next_action = null;
  attachIfSaving(ctx, pi, pm);
  return [
    ["charge.succeeded", ch],
    ["payment_intent.succeeded", pi],
  ];
}

export function markFailed(ctx: EmulatorContext, pi: PaymentIntentObject, pm: PaymentMethodObject, decline: DeclineSpec, charge?: ChargeObject): { charge: ChargeObject; events: ChargeEvents } {
  const ch = charge ?? insertCharge(ctx, pi, pm, "failed", decline);
  if (charge) {
    ch.status = "failed";
    ch.failure_code = decline.code;
    ch.failure_message = decline.message;
    ch.outcome = { advice_code: null, network_advice_code: null, network_decline_code: null, type: "issuer_declined", network_status: "declined_by_network", reason: decline.declineCode ?? null, risk_level: "normal", seller_message: "The bank did not return any further details with this decline." };
  }
  pi.status = "requires_payment_method";
  pi.latest_charge = ch.id;
  pi.payment_method = null;
  pi.next_action = null;
  pi.last_payment_error = {
    type: "card_error",
    code: decline.code,
    ...(decline.declineCode ? { decline_code: decline.declineCode } : {}),
    message: decline.message,
    charge: ch.id,
    doc_url: `https://docs.stripe.com/error-codes/${decline.code.replace(/_/g, "-")}`,
  };
  return {
    charge: ch,
    events: [
      ["charge.failed", ch],
      ["payment_intent.payment_failed", pi],
    ],
  };
}

/** Starts a delayed-notification payment: the charge is pending and the PaymentIntent `processing`. */
export function markProcessing(ctx: EmulatorContext, pi: PaymentIntentObject, pm: PaymentMethodObject): ChargeObject {
  const charge = insertCharge(ctx, pi, pm, "pending");
  pi.status = "processing";
  pi.latest_charge = charge.id;
  pi.payment_method = pm.id;
  pi.last_payment_error = null;
  attachIfSaving(ctx, pi, pm);
  return charge;
}

export function insertPaymentIntent(
  ctx: EmulatorContext,
  fields: Partial<PaymentIntentObject> & Pick<PaymentIntentObject, "amount" | "currency">,
): PaymentIntentObject {
  const id = newId(ID_PREFIXES.paymentIntent);
  const pi: PaymentIntentObject = {
    id,
    object: "payment_intent",
    livemode: false,
    created: ctx.clock.now(),
    amount_capturable: 0,
    amount_received: 0,
    status: "requires_payment_method",
    capture_method: "automatic_async",
    confirmation_method: "automatic",
    client_secret: `${id}_secret_${randomToken(25)}`,
    customer: null,
    description: null,
    metadata: {},
    latest_charge: null,
    payment_method: null,
    payment_method_types: ["card"],
    last_payment_error: null,
    next_action: null,
    setup_future_usage: null,
    receipt_email: null,
    canceled_at: null,
    cancellation_reason: null,
    application_fee_amount: null,
    transfer_data: null,
    transfer_group: null,
    on_behalf_of: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    ...fields,
  };
  ctx.state.paymentIntents.set(pi.id, pi);
  return pi;
}

export function requirePaymentIntent(ctx: EmulatorContext, id: string, param = "id"): PaymentIntentObject {
  const pi = ctx.state.paymentIntents.get(id);
  if (!pi) throw resourceMissing("payment_intent", id, param);
  return pi;
}

function readOffSession(p: ParamReader): boolean | undefined {
  const raw = p.raw("off_session");
  if (raw === undefined) return undefined;
  if (raw === "true" || raw === "one_off" || raw === "recurring") return true;
  if (raw === "false") return false;
  throw invalidParam(`Invalid off_session: must be a boolean, one_off or recurring`, "off_session");
}

const IGNORED_PI = [
  "allowed_payment_method_types", "excluded_payment_method_types", "automatic_payment_methods", "payment_method_options",
  "payment_method_configuration", "confirmation_method", "return_url", "use_stripe_sdk", "radar_options", "shipping",
  "mandate", "mandate_data", "amount_details", "payment_details", "hooks",
];

/**
 * Confirms with `pm`: succeeds, or throws a 402 card_error carrying the PaymentIntent (status
 * `requires_payment_method`), or (on-session 3DS) returns with status `requires_action`.
 */
function confirmWith(ctx: EmulatorContext, request: RequestInfo, pi: PaymentIntentObject, pm: PaymentMethodObject, offSession: boolean): void {
  const decline = nextDecline(ctx, pm);
  if (decline?.code === "authentication_required" && !offSession) {
    pi.status = "requires_action";
    pi.payment_method = pm.id;
    pi.next_action = { type: "use_stripe_sdk", use_stripe_sdk: {} };
    emit(ctx, request, [["payment_intent.requires_action", pi]]);
    return;
  }
  if (decline) {
    const { charge, events } = markFailed(ctx, pi, pm, decline);
    emit(ctx, request, events);
    throw cardError(decline.message, {
      code: decline.code,
      declineCode: decline.declineCode,
      charge: charge.id,
      paymentIntent: renderObject(ctx.state, pi),
      paymentMethod: renderObject(ctx.state, pm),
    });
  }
  emit(ctx, request, markSucceeded(ctx, pi, pm));
}

export function createPaymentIntent(ctx: EmulatorContext, p: ParamReader, request: RequestInfo): PaymentIntentObject {
  const amount = p.integer("amount", { required: true, min: 1 }) as number;
  const currency = validateCurrency(p.requiredString("currency"), "currency");
  const customerId = p.string("customer");
  const pmId = p.string("payment_method");
  const confirm = p.boolean("confirm") ?? false;
  const offSession = readOffSession(p);
  const errorOnRequiresAction = p.boolean("error_on_requires_action") ?? false;
  const metadata = createMetadata(p.metadata());
  const description = p.string("description", { maxLength: 1000 }) ?? null;
  const receiptEmail = p.string("receipt_email") ?? null;
  const setupFutureUsage = p.enum("setup_future_usage", ["off_session", "on_session"]) ?? null;
  const captureMethod = p.enum("capture_method", ["automatic", "automatic_async", "manual"]);
  const applicationFee = p.integer("application_fee_amount", { min: 0 }) ?? null;
  const transfer = p.object("transfer_data");
  const transferData = transfer ? { destination: transfer.requiredString("destination"), ...optionalAmount(transfer.integer("amount", { min: 0 })) } : null;
  const transferGroup = p.string("transfer_group") ?? null;
  const onBehalfOf = p.string("on_behalf_of") ?? null;
  const statementDescriptor = p.string("statement_descriptor", { maxLength: 22 }) ?? null;
  const statementDescriptorSuffix = p.string("statement_descriptor_suffix", { maxLength: 22 }) ?? null;
  const expand = p.expand();
  p.ignore(...IGNORED_PI).done();

  validateAmount(amount, currency, "amount");
  if (captureMethod === "manual") throw invalidParam("The Stripe emulator does not support capture_method=manual.", "capture_method");
  if (offSession !== undefined && !confirm) throw invalidParam("You can only pass in `off_session` when `confirm` is `true`.", "off_session");
  if (confirm && !pmId) throw missingParam("payment_method");
  if (customerId) requireCustomer(ctx, customerId, "customer");
  const pm = pmId ? resolvePaymentMethod(ctx, pmId) : undefined;
  if (pm?.customer && customerId !== pm.customer) {
    throw invalidRequest(`The provided PaymentMethod is attached to another Customer (${pm.customer}); pass customer=${pm.customer}.`, { param: "payment_method" });
  }
  if (applicationFee !== null && applicationFee > amount) throw invalidParam("application_fee_amount cannot exceed amount", "application_fee_amount");

  const pi = insertPaymentIntent(ctx, {
    amount,
    currency,
    customer: customerId ?? null,
    metadata,
    description,
    receipt_email: receiptEmail,
    setup_future_usage: setupFutureUsage,
    capture_method: captureMethod === "automatic" ? "automatic" : "automatic_async",
    application_fee_amount: applicationFee,
    transfer_data: transferData,
    transfer_group: transferGroup,
    on_behalf_of: onBehalfOf,
    statement_descriptor: statementDescriptor,
    statement_descriptor_suffix: statementDescriptorSuffix,
    payment_method: pm?.id ?? null,
    status: pm ? "requires_confirmation" : "requires_payment_method",
  });
  emit(ctx, request, [["payment_intent.created", pi]]);
  if (confirm && pm) {
    confirmWith(ctx, request, pi, pm, offSession ?? false);
    if (pi.status === "requires_action" && errorOnRequiresAction) {
      throw cardError("Your card was declined. This transaction requires authentication.", { code: "authentication_required", declineCode: "authentication_required", paymentIntent: renderObject(ctx.state, pi) });
    }
  }
  return renderObject(ctx.state, pi, expand);
}

function optionalAmount(amount: number | undefined): { amount?: number } {
  return amount === undefined ? {} : { amount };
}

function createdByCheckout(ctx: EmulatorContext, pi: PaymentIntentObject): boolean {
  return ctx.state.sessionForPaymentIntent(pi.id) !== undefined;
}

export function confirmPaymentIntent(ctx: EmulatorContext, id: string, p: ParamReader, request: RequestInfo): PaymentIntentObject {
  const pmId = p.string("payment_method");
  const offSession = readOffSession(p) ?? false;
  const receiptEmail = p.string("receipt_email", { emptyable: true });
  const setupFutureUsage = p.enum("setup_future_usage", ["off_session", "on_session"]);
  p.boolean("error_on_requires_action");
  const expand = p.expand();
  p.ignore(...IGNORED_PI, "capture_method", "amount_to_confirm", "confirmation_token", "payment_method_data").done();

  const pi = requirePaymentIntent(ctx, id);
  if (createdByCheckout(ctx, pi)) throw invalidRequest("This PaymentIntent was created by a Checkout Session and cannot be confirmed through the API.", { code: "payment_intent_unexpected_state" });
  if (!["requires_payment_method", "requires_confirmation", "requires_action"].includes(pi.status)) {
    throw invalidRequest(
      `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.`,
      { code: "payment_intent_unexpected_state" },
    );
  }
  const pm = pmId ? resolvePaymentMethod(ctx, pmId) : pi.payment_method ? resolvePaymentMethod(ctx, pi.payment_method) : undefined;
  if (!pm) throw missingParam("payment_method");
  if (receiptEmail !== undefined) pi.receipt_email = receiptEmail || null;
  if (setupFutureUsage !== undefined) pi.setup_future_usage = setupFutureUsage;
  confirmWith(ctx, request, pi, pm, offSession);
  return renderObject(ctx.state, pi, expand);
}

export function cancelPaymentIntent(ctx: EmulatorContext, id: string, p: ParamReader, request: RequestInfo): PaymentIntentObject {
  const reason = p.enum("cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]) ?? null;
  const expand = p.expand();
  p.done();
  const pi = requirePaymentIntent(ctx, id);
  if (createdByCheckout(ctx, pi)) {
    throw invalidRequest("This PaymentIntent was created by a Checkout Session; expire the Checkout Session instead of canceling the PaymentIntent.", { code: "payment_intent_unexpected_state" });
  }
  if (pi.status === "succeeded" || pi.status === "canceled" || pi.status === "processing") {
    throw invalidRequest(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action.`,
      { code: "payment_intent_unexpected_state" },
    );
  }
  pi.status = "canceled";
  pi.canceled_at = ctx.clock.now();
  pi.cancellation_reason = reason;
  pi.next_action = null;
  emit(ctx, request, [["payment_intent.canceled", pi]]);
  return renderObject(ctx.state, pi, expand);
}

export function updatePaymentIntent(ctx: EmulatorContext, id: string, p: ParamReader): PaymentIntentObject {
  const metadata = p.metadata();
  const description = p.string("description", { emptyable: true });
  const receiptEmail = p.string("receipt_email", { emptyable: true });
  const amount = p.integer("amount", { min: 1 });
  const pmId = p.string("payment_method");
  const customerId = p.string("customer");
  const expand = p.expand();
  p.ignore(...IGNORED_PI, "setup_future_usage", "statement_descriptor", "statement_descriptor_suffix", "transfer_group", "application_fee_amount", "transfer_data", "currency", "capture_method").done();
  const pi = requirePaymentIntent(ctx, id);
  if ((amount !== undefined || pmId !== undefined) && !["requires_payment_method", "requires_confirmation", "requires_action"].includes(pi.status)) {
    throw invalidRequest(`You cannot update this PaymentIntent because it has a status of ${pi.status}.`, { code: "payment_intent_unexpected_state" });
  }
  if (amount !== undefined) {
    validateAmount(amount, pi.currency, "amount");
    pi.amount = amount;
  }
  if (customerId !== undefined) pi.customer = requireCustomer(ctx, customerId, "customer").id;
  if (pmId !== undefined) {
    pi.payment_method = resolvePaymentMethod(ctx, pmId).id;
    if (pi.status === "requires_payment_method") pi.status = "requires_confirmation";
  }
  if (description !== undefined) pi.description = description || null;
  if (receiptEmail !== undefined) pi.receipt_email = receiptEmail || null;
  pi.metadata = mergeMetadata(pi.metadata, metadata);
  return renderObject(ctx.state, pi, expand);
}

export function retrievePaymentIntent(ctx: EmulatorContext, id: string, p: ParamReader): PaymentIntentObject {
  const expand = p.expand();
  p.ignore("client_secret").done();
  return renderObject(ctx.state, requirePaymentIntent(ctx, id), expand);
}

export function listPaymentIntents(ctx: EmulatorContext, p: ParamReader): ListObject<PaymentIntentObject> {
  const customer = p.string("customer");
  const page = readPageParams(p);
  const expand = p.expand();
  p.ignore("created").done();
  const items = [...ctx.state.paymentIntents.values()].reverse().filter((pi) => customer === undefined || pi.customer === customer);
  return renderObject(ctx.state, paginate(items, page, "/v1/payment_intents"), expand);
}

export function retrieveCharge(ctx: EmulatorContext, id: string, p: ParamReader): ChargeObject {
  const expand = p.expand();
  p.done();
  const charge = ctx.state.charges.get(id);
  if (!charge) throw resourceMissing("charge", id);
  return renderObject(ctx.state, charge, expand);
}

export function listCharges(ctx: EmulatorContext, p: ParamReader): ListObject<ChargeObject> {
  const paymentIntent = p.string("payment_intent");
  const customer = p.string("customer");
  const page = readPageParams(p);
  const expand = p.expand();
  p.ignore("created", "transfer_group").done();
  const items = [...ctx.state.charges.values()]
    .reverse()
    .filter((c) => (paymentIntent === undefined || c.payment_intent === paymentIntent) && (customer === undefined || c.customer === customer));
  return renderObject(ctx.state, paginate(items, page, "/v1/charges"), expand);
}

export function retrievePaymentMethod(ctx: EmulatorContext, id: string, p: ParamReader): PaymentMethodObject {
  const expand = p.expand();
  p.done();
  const pm = ctx.state.paymentMethods.get(id);
  if (!pm) throw resourceMissing("PaymentMethod", id);
  return renderObject(ctx.state, pm, expand);
}

export function attachPaymentMethod(ctx: EmulatorContext, id: string, p: ParamReader): PaymentMethodObject {
  const customerId = p.requiredString("customer");
  const expand = p.expand();
  p.done();
  const pm = resolvePaymentMethod(ctx, id, "id");
  const customer = requireCustomer(ctx, customerId, "customer");
  if (pm.customer && pm.customer !== customer.id) throw invalidRequest("The payment method you provided has already been attached to a customer.", { code: "payment_method_unexpected_state" });
  pm.customer = customer.id;
  return renderObject(ctx.state, pm, expand);
}

export function detachPaymentMethod(ctx: EmulatorContext, id: string, p: ParamReader): PaymentMethodObject {
  const expand = p.expand();
  p.done();
  const pm = ctx.state.paymentMethods.get(id);
  if (!pm) throw resourceMissing("PaymentMethod", id);
  if (!pm.customer) throw invalidRequest("The payment method you provided is not attached to a customer so detachment is impossible.", { code: "payment_method_unexpected_state" });
  pm.customer = null;
  return renderObject(ctx.state, pm, expand);
}
