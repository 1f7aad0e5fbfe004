import { emit, NO_REQUEST, type EmulatorContext, type RequestInfo } from "../context";
import { invalidParam, invalidRequest, resourceMissing } from "../errors";
import { paginate, readPageParams, renderObject } from "../expand";
import type { DeclineSpec } from "../faults";
import { ID_PREFIXES, newId, randomToken } from "../ids";
import { createMetadata, type ParamReader } from "../params";
import type { SessionInternals } from "../state";
import type { ApiObject, CheckoutSessionObject, LineItemObject, ListObject, PaymentIntentObject } from "../types";
import { insertCustomer, requireCustomer } from "./customers";
import {
  insertPaymentIntent,
  insertPaymentMethod,
  markFailed,
  markProcessing,
  markSucceeded,
  nextDecline,
  validateAmount,
  validateCurrency,
} from "./payments";

/** Payment methods whose money arrives days after Checkout completes (checkout.session.async_payment_*). */
const DELAYED_METHODS = new Set(["sepa_debit", "us_bank_account", "bacs_debit", "au_becs_debit", "acss_debit"]);

const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = 24 * 60 * 60;

/** Accepted and stored nowhere: real parameters that do not change what the emulator models. */
const IGNORED_SESSION_PARAMS = [
  "adaptive_pricing", "after_expiration", "allow_promotion_codes", "allowed_payment_method_types", "automatic_tax",
  "billing_address_collection", "branding_settings", "consent_collection", "custom_fields", "custom_text", "customer_update",
  "discounts", "excluded_payment_method_types", "invoice_creation", "name_collection", "origin_context", "payment_method_collection",
  "payment_method_configuration", "payment_method_data", "payment_method_options", "phone_number_collection", "saved_payment_method_options",
  "shipping_address_collection", "tax_id_collection", "wallet_options", "integration_identifier",
];

export function requireSession(ctx: EmulatorContext, id: string, param = "session"): CheckoutSessionObject {
  const session = ctx.state.checkoutSessions.get(id);
  if (!session) throw resourceMissing("checkout.session", id, param);
  return session;
}

export function hostedUrl(ctx: EmulatorContext, sessionId: string): string {
  return `${ctx.publicUrl}/checkout/${sessionId}`;
}

function readLineItems(ctx: EmulatorContext, p: ParamReader): { items: LineItemObject[]; currency: string } {
  const list = p.objectList("line_items");
  if (!list || list.length === 0) throw invalidParam("You must provide at least one line item in `payment` mode.", "line_items", "parameter_missing");
  let currency: string | undefined;
  const items = list.map((li, i) => {
    const name = `line_items[${i}]`;
    if (li.has("price")) throw invalidParam(`The Stripe emulator supports only inline \`price_data\`, not saved prices (${name}[price]).`, `${name}[price]`);
    const priceData = li.object("price_data", { required: true }) as ParamReader;
    const quantity = li.integer("quantity", { required: true, min: 1 }) as number;
    const itemMetadata = createMetadata(li.metadata());
    li.ignore("adjustable_quantity", "tax_rates", "dynamic_tax_rates");
    const itemCurrency = validateCurrency(priceData.requiredString("currency"), `${name}[price_data][currency]`);
    const unitAmount = priceData.integer("unit_amount", { min: 0 });
    const unitAmountDecimal = priceData.string("unit_amount_decimal");
    if (priceData.has("recurring")) throw invalidParam("Recurring prices are not supported in `payment` mode.", `${name}[price_data][recurring]`);
    priceData.ignore("tax_behavior");
    const product = priceData.object("product_data");
    const productId = priceData.string("product");
    if (!product && !productId) throw invalidParam(`Missing required param: ${name}[price_data][product_data].`, `${name}[price_data][product_data]`, "parameter_missing");
    const productName = product ? product.requiredString("name") : productId!;
    product?.string("description");
    product?.metadata();
    product?.ignore("images", "tax_code", "unit_label", "statement_descriptor");
    let amount = unitAmount;
    if (amount === undefined && unitAmountDecimal !== undefined) {
      if (!/^\d+$/.test(unitAmountDecimal)) throw invalidParam("The Stripe emulator supports only whole-number unit_amount_decimal values.", `${name}[price_data][unit_amount_decimal]`);
      amount = Number(unitAmountDecimal);
    }
    if (amount === undefined) throw invalidParam(`Missing required param: ${name}[price_data][unit_amount].`, `${name}[price_data][unit_amount]`, "parameter_missing");
    if (currency !== undefined && currency !== itemCurrency) {
      throw invalidParam("All line items must have the same currency.", `${name}[price_data][currency]`);
    }
    currency = itemCurrency;
    const now = ctx.clock.now();
    const item: LineItemObject = {
      id: newId(ID_PREFIXES.lineItem),
      object: "item",
      amount_discount: 0,
      amount_subtotal: amount * quantity,
      amount_tax: 0,
      amount_total: amount * quantity,
      currency: itemCurrency,
      description: productName,
      price: {
        id: newId(ID_PREFIXES.price),
        object: "price",
        active: false,
        currency: itemCurrency,
        unit_amount: amount,
        unit_amount_decimal: String(amount),
        product: productId ?? newId(ID_PREFIXES.product, 14),
        type: "one_time",
        livemode: false,
        created: now,
        metadata: {},
        nickname: null,
        recurring: null,
        lookup_key: null,
        billing_scheme: "per_unit",
        tax_behavior: "unspecified",
        tiers_mode: null,
        transform_quantity: null,
        custom_unit_amount: null,
      },
      quantity,
      metadata: itemMetadata,
    };
    return item;
  });
  return { items, currency: currency as string };
}

function readPaymentIntentData(p: ParamReader): SessionInternals["paymentIntentData"] {
  const pid = p.object("payment_intent_data");
  const transfer = pid?.object("transfer_data");
  const transferAmount = transfer?.integer("amount", { min: 0 });
  const data: SessionInternals["paymentIntentData"] = {
    metadata: createMetadata(pid?.metadata()),
    description: pid?.string("description", { maxLength: 1000 }) ?? null,
    setupFutureUsage: pid?.enum("setup_future_usage", ["off_session", "on_session"]) ?? null,
    captureMethod: "automatic_async",
    receiptEmail: pid?.string("receipt_email") ?? null,
    applicationFeeAmount: pid?.integer("application_fee_amount", { min: 0 }) ?? null,
    transferData: transfer ? { destination: transfer.requiredString("destination"), ...(transferAmount === undefined ? {} : { amount: transferAmount }) } : null,
    transferGroup: pid?.string("transfer_group") ?? null,
    onBehalfOf: pid?.string("on_behalf_of") ?? null,
    statementDescriptor: pid?.string("statement_descriptor", { maxLength: 22 }) ?? null,
    statementDescriptorSuffix: pid?.string("statement_descriptor_suffix", { maxLength: 22 }) ?? null,
  };
  const capture = pid?.enum("capture_method", ["automatic", "automatic_async", "manual"]);
  if (capture === "manual") throw invalidParam("The Stripe emulator does not support capture_method=manual.", "payment_intent_data[capture_method]");
  if (capture) data.captureMethod = capture;
  pid?.ignore("shipping");
  return data;
}

export function createSession(ctx: EmulatorContext, p: ParamReader): CheckoutSessionObject {
  const mode = p.enum("mode", ["payment", "setup", "subscription"], { required: true });
  if (mode !== "payment") throw invalidParam(`The Stripe emulator supports only mode=payment (got ${mode}).`, "mode");
  const uiMode = p.enum("ui_mode", ["hosted_page", "embedded_page", "elements", "form"]) ?? "hosted_page";
  if (uiMode !== "hosted_page") throw invalidParam(`The Stripe emulator supports only ui_mode=hosted_page (got ${uiMode}).`, "ui_mode");
  const { items, currency } = readLineItems(ctx, p);
  const currencyParam = p.string("currency");
  const clientReferenceId = p.string("client_reference_id", { maxLength: 200 }) ?? null;
  const metadata = createMetadata(p.metadata());
  const customerId = p.string("customer");
  const customerEmail = p.string("customer_email", { maxLength: 800 });
  const customerCreation = p.enum("customer_creation", ["always", "if_required"]) ?? null;
  const successUrl = p.string("success_url", { maxLength: 5000 });
  const cancelUrl = p.string("cancel_url", { maxLength: 5000 });
  const returnUrl = p.string("return_url");
  const expiresAt = p.integer("expires_at");
  const locale = p.string("locale") ?? null;
  const submitType = p.enum("submit_type", ["auto", "book", "donate", "pay", "subscribe"]) ?? null;
  const paymentIntentData = readPaymentIntentData(p);
  // Omitted: Stripe offers the methods enabled on the account (dynamic payment methods); modelled as card plus SEPA
  // Direct Debit, so delayed-notification payments can be exercised. Given: exactly those methods.
  const paymentMethodTypes = p.stringList("payment_method_types") ?? ["card", "sepa_debit"];
  const expand = p.expand();
  p.ignore(...IGNORED_SESSION_PARAMS, "redirect_on_completion", "optional_items", "permissions", "setup_intent_data", "subscription_data", "shipping_options", "managed_payments", "customer_account").done();

  if (!successUrl) throw invalidParam("Missing required param: success_url.", "success_url", "parameter_missing");
  if (returnUrl) throw invalidParam("You can only pass return_url with ui_mode embedded_page or elements.", "return_url");
  for (const [param, url] of [["success_url", successUrl], ["cancel_url", cancelUrl]] as const) {
    if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) throw invalidParam(`Not a valid URL`, param, "url_invalid");
  }
  if (currencyParam && validateCurrency(currencyParam, "currency") !== currency) throw invalidParam("`currency` must match the line items' currency.", "currency");
  if (customerId && customerEmail) throw invalidParam("You may only specify one of these parameters: customer, customer_email.", "customer_email", "parameters_exclusive");
  const customer = customerId ? requireCustomer(ctx, customerId, "customer") : undefined;
  const amountTotal = items.reduce((sum, li) => sum + li.amount_total, 0);
  if (amountTotal > 0) validateAmount(amountTotal, currency, "line_items");
  const now = ctx.clock.now();
  if (expiresAt !== undefined) {
    if (expiresAt - now < MIN_EXPIRY_SECONDS) {
      throw invalidParam("The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.", "expires_at");
    }
    if (expiresAt - now > MAX_EXPIRY_SECONDS) {
      throw invalidParam("The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", "expires_at");
    }
  }

  const id = `${ID_PREFIXES.checkoutSession}_${randomToken(58)}`;
  const session: CheckoutSessionObject = {
    id,
    object: "checkout.session",
    livemode: false,
    created: now,
    expires_at: expiresAt ?? now + MAX_EXPIRY_SECONDS,
    mode: "payment",
    ui_mode: "hosted_page",
    status: "open",
    payment_status: "unpaid",
    amount_subtotal: amountTotal,
    amount_total: amountTotal,
    currency,
    client_reference_id: clientReferenceId,
    customer: customer?.id ?? null,
    customer_email: customerEmail ?? null,
    customer_creation: customer ? null : (customerCreation ?? "if_required"),
    customer_details: customer ? { address: null, business_name: null, email: customer.email, individual_name: null, name: customer.name, phone: null, tax_exempt: "none", tax_ids: [] } : null,
    metadata,
    payment_intent: null,
    payment_method_types: paymentMethodTypes,
    success_url: successUrl,
    cancel_url: cancelUrl ?? null,
    url: hostedUrl(ctx, id),
    locale,
    client_secret: null,
    submit_type: submitType,
    invoice: null,
    subscription: null,
    setup_intent: null,
    payment_link: null,
    recovered_from: null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
  };
  ctx.state.checkoutSessions.set(id, session);
  ctx.state.nextOpenExpiry = Math.min(ctx.state.nextOpenExpiry, session.expires_at);
  ctx.state.lineItems.set(id, items);
  ctx.state.sessionInternals.set(id, { paymentIntentData, pendingAsync: null });
  return renderObject(ctx.state, session, expand);
}

export function retrieveSession(ctx: EmulatorContext, id: string, p: ParamReader): CheckoutSessionObject {
  const expand = p.expand();
  p.done();
  return renderObject(ctx.state, requireSession(ctx, id), expand);
}

export function listSessions(ctx: EmulatorContext, p: ParamReader): ListObject<CheckoutSessionObject> {
  const paymentIntent = p.string("payment_intent");
  const customer = p.string("customer");
  const status = p.enum("status", ["open", "complete", "expired"]);
  const page = readPageParams(p);
  const expand = p.expand();
  p.ignore("created", "customer_details", "payment_link", "subscription", "customer_account").done();
  const items = [...ctx.state.checkoutSessions.values()]
    .reverse()
    .filter(
      (s) =>
        (paymentIntent === undefined || s.payment_intent === paymentIntent) &&
        (customer === undefined || s.customer === customer) &&
        (status === undefined || s.status === status),
    );
  return renderObject(ctx.state, paginate(items, page, "/v1/checkout/sessions"), expand);
}

export function listSessionLineItems(ctx: EmulatorContext, id: string, p: ParamReader): ListObject<LineItemObject> {
  const page = readPageParams(p);
  const expand = p.expand();
  p.done();
  requireSession(ctx, id);
  return renderObject(ctx.state, paginate([...(ctx.state.lineItems.get(id) ?? [])], page, `/v1/checkout/sessions/${id}/line_items`), expand);
}

/** Marks an open session expired and sends `checkout.session.expired` (its unpaid PaymentIntent is canceled). */
export function expireNow(ctx: EmulatorContext, session: CheckoutSessionObject, request: RequestInfo): void {
  session.status = "expired";
  session.url = null;
  const events: Array<[string, ApiObject]> = [];
  const pi = session.payment_intent ? ctx.state.paymentIntents.get(session.payment_intent) : undefined;
  if (pi && pi.status !== "succeeded" && pi.status !== "canceled") {
    pi.status = "canceled";
    pi.canceled_at = ctx.clock.now();
    pi.cancellation_reason = "abandoned";
    events.push(["payment_intent.canceled", pi]);
  }
  events.push(["checkout.session.expired", session]);
  emit(ctx, request, events);
}

export function expireSession(ctx: EmulatorContext, id: string, p: ParamReader, request: RequestInfo): CheckoutSessionObject {
  const expand = p.expand();
  p.done();
  const session = requireSession(ctx, id);
  if (session.status !== "open") {
    throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`, {});
  }
  expireNow(ctx, session, request);
  return renderObject(ctx.state, session, expand);
}

/** Expires every open session whose `expires_at` has passed (called before each request and on a timer). */
export function sweepExpiredSessions(ctx: EmulatorContext): number {
  const now = ctx.clock.now();
  if (now < ctx.state.nextOpenExpiry) return 0; // no open session can have expired yet
  let count = 0;
  let nextOpenExpiry = Infinity;
  for (const session of ctx.state.checkoutSessions.values()) {
    if (session.status !== "open") continue;
    if (session.expires_at <= now) {
      expireNow(ctx, session, NO_REQUEST);
      count++;
    } else {
      nextOpenExpiry = Math.min(nextOpenExpiry, session.expires_at);
    }
  }
  ctx.state.nextOpenExpiry = nextOpenExpiry;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Paying a session (hosted page "Pay" button and the programmatic `pay()`).

export interface PayOptions {
  /** Delayed-notification payment (bank debit): completes `unpaid`, then succeeds or fails asynchronously. */
  asyncPayment?: "succeeded" | "failed";
  /** With `asyncPayment`: "auto" (default) settles right after `checkout.session.completed`; "manual" waits for `settleAsyncPayment()`. */
  settle?: "auto" | "manual";
  /** Email the customer "typed" on the page; defaults to the session's customer email or `customer@example.com`. */
  email?: string;
  /** Card details: `{ brand, last4 }`; defaults to a Visa 4242. */
  card?: { brand: string; last4: string };
}

export type PayResult =
  | { outcome: "paid" | "processing"; session: CheckoutSessionObject; paymentIntent: PaymentIntentObject }
  | { outcome: "declined"; session: CheckoutSessionObject; paymentIntent: PaymentIntentObject; error: DeclineSpec }
  | { outcome: "expired" | "already_complete"; session: CheckoutSessionObject; paymentIntent: PaymentIntentObject | null };

function sessionPaymentIntent(ctx: EmulatorContext, session: CheckoutSessionObject, customerId: string | null, email: string): PaymentIntentObject {
  const existing = session.payment_intent ? ctx.state.paymentIntents.get(session.payment_intent) : undefined;
  if (existing) return existing;
  const data = (ctx.state.sessionInternals.get(session.id) as SessionInternals).paymentIntentData;
  const pi = insertPaymentIntent(ctx, {
    amount: session.amount_total,
    currency: session.currency,
    customer: customerId,
    metadata: { ...data.metadata },
    description: data.description,
    setup_future_usage: data.setupFutureUsage,
    capture_method: data.captureMethod,
    receipt_email: data.receiptEmail ?? email,
    application_fee_amount: data.applicationFeeAmount,
    transfer_data: data.transferData,
    transfer_group: data.transferGroup,
    on_behalf_of: data.onBehalfOf,
    statement_descriptor: data.statementDescriptor,
    statement_descriptor_suffix: data.statementDescriptorSuffix,
  });
  session.payment_intent = pi.id;
  emit(ctx, NO_REQUEST, [["payment_intent.created", pi]]);
  return pi;
}

export function paySession(ctx: EmulatorContext, sessionId: string, opts: PayOptions = {}): PayResult {
  sweepExpiredSessions(ctx);
  const session = ctx.state.checkoutSessions.get(sessionId);
  if (!session) throw resourceMissing("checkout.session", sessionId, "session");
  const currentPi = session.payment_intent ? (ctx.state.paymentIntents.get(session.payment_intent) ?? null) : null;
  if (session.status === "expired") return { outcome: "expired", session, paymentIntent: currentPi };
  if (session.status === "complete") return { outcome: "already_complete", session, paymentIntent: currentPi };

  const email = opts.email ?? session.customer_email ?? session.customer_details?.email ?? "customer@example.com";
  const internals = ctx.state.sessionInternals.get(session.id) as SessionInternals;
  let customerId = session.customer;
  const customerEvents: Array<[string, ApiObject]> = [];
  // Like Stripe: a Customer is created only with customer_creation=always; without one, a card saved with
  // setup_future_usage is not attached to anybody.
  if (!customerId && session.customer_creation === "always") {
    const customer = insertCustomer(ctx, { email });
    customerId = customer.id;
    customerEvents.push(["customer.created", customer]);
  }
  if (customerEvents.length > 0) emit(ctx, NO_REQUEST, customerEvents);
  const pi = sessionPaymentIntent(ctx, session, customerId, email);
  if (customerId && !pi.customer) pi.customer = customerId;
  const pm = insertPaymentMethod(ctx, opts.card ?? { brand: "visa", last4: "4242" }, { email, name: null });
  const decline = nextDecline(ctx, pm);
  if (decline) {
    const { events } = markFailed(ctx, pi, pm, decline);
    emit(ctx, NO_REQUEST, events);
    return { outcome: "declined", session, paymentIntent: pi, error: decline };
  }

  const customer = customerId ? requireCustomer(ctx, customerId, "customer") : undefined;
  session.customer = customerId;
  session.customer_details = { address: null, business_name: null, email: customer?.email ?? email, individual_name: null, name: customer?.name ?? null, phone: null, tax_exempt: "none", tax_ids: [] };
  session.status = "complete";
  session.url = null;

  if (opts.asyncPayment) {
    if (!session.payment_method_types.some((type) => DELAYED_METHODS.has(type))) {
      throw invalidRequest(`This Checkout Session offers only ${session.payment_method_types.join(", ")}; a delayed-notification payment method is not available on it.`, { param: "payment_method_types" });
    }
    const charge = markProcessing(ctx, pi, pm);
    session.payment_status = "unpaid";
    internals.pendingAsync = opts.asyncPayment;
    emit(ctx, NO_REQUEST, [["charge.pending", charge], ["checkout.session.completed", session]]);
    if ((opts.settle ?? "auto") === "auto") settleAsyncPayment(ctx, session.id);
    return { outcome: "processing", session, paymentIntent: pi };
  }

  const events = markSucceeded(ctx, pi, pm);
  session.payment_status = "paid";
  emit(ctx, NO_REQUEST, [...events, ["checkout.session.completed", session]]);
  return { outcome: "paid", session, paymentIntent: pi };
}

/** Finishes a delayed payment started with `pay(id, { asyncPayment, settle: "manual" })`. */
export function settleAsyncPayment(ctx: EmulatorContext, sessionId: string, outcome?: "succeeded" | "failed"): CheckoutSessionObject {
  const session = requireSession(ctx, sessionId);
  const internals = ctx.state.sessionInternals.get(session.id) as SessionInternals;
  const result = outcome ?? internals.pendingAsync;
  if (!result || !session.payment_intent) throw new Error(`Stripe emulator: session ${sessionId} has no async payment pending`);
  const pi = ctx.state.paymentIntents.get(session.payment_intent) as PaymentIntentObject;
  if (pi.status !== "processing") throw new Error(`Stripe emulator: PaymentIntent ${pi.id} is ${pi.status}, not processing`);
  const pm = ctx.state.paymentMethods.get(pi.payment_method as string)!;
  const charge = pi.latest_charge ? ctx.state.charges.get(pi.latest_charge) : undefined;
  internals.pendingAsync = null;
  if (result === "succeeded") {
    const events = markSucceeded(ctx, pi, pm, charge);
    session.payment_status = "paid";
    emit(ctx, NO_REQUEST, [...events, ["checkout.session.async_payment_succeeded", session]]);
  } else {
    const { events } = markFailed(ctx, pi, pm, { code: "payment_intent_payment_attempt_failed", message: "The payment failed." }, charge);
    emit(ctx, NO_REQUEST, [...events, ["checkout.session.async_payment_failed", session]]);
  }
  return session;
}
