import type Stripe from "stripe";

/**
 * The JSON shapes the emulator stores and returns. Each is a subset of the SDK's generated type for the
 * pinned API version; the assertions at the bottom make `tsc` fail if a field name or value type drifts
 * from `stripe`'s own definitions (expandable fields are ids here, which the SDK types allow).
 */

export type Metadata = Record<string, string>;

export interface CustomerDetails {
  address: null;
  business_name: null;
  email: string | null;
  individual_name: null;
  name: string | null;
  phone: null;
  tax_exempt: "none";
  tax_ids: [];
}

export interface CheckoutSessionObject {
  id: string;
  object: "checkout.session";
  livemode: false;
  created: number;
  expires_at: number;
  mode: "payment";
  ui_mode: "hosted_page";
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid";
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer: string | null;
  customer_email: string | null;
  customer_creation: "always" | "if_required" | null;
  customer_details: CustomerDetails | null;
  metadata: Metadata;
  payment_intent: string | null;
  payment_method_types: string[];
  success_url: string | null;
  cancel_url: string | null;
  url: string | null;
  locale: string | null;
  client_secret: null;
  submit_type: string | null;
  invoice: null;
  subscription: null;
  setup_intent: null;
  payment_link: null;
  recovered_from: null;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
}

export interface PriceObject {
  id: string;
  object: "price";
  active: boolean;
  currency: string;
  unit_amount: number;
  /** A decimal string in JSON; the SDK's response schema coerces it to its `Decimal` class. */
  unit_amount_decimal: string;
  product: string;
  type: "one_time";
  livemode: false;
  created: number;
  metadata: Metadata;
  nickname: null;
  recurring: null;
  lookup_key: null;
  billing_scheme: "per_unit";
  tax_behavior: "unspecified";
  tiers_mode: null;
  transform_quantity: null;
  custom_unit_amount: null;
}

export interface LineItemObject {
  id: string;
  object: "item";
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  price: PriceObject;
  quantity: number;
  metadata: Metadata;
}

export interface LastPaymentError {
  type: "card_error";
  code: string;
  decline_code?: string;
  message: string;
  charge?: string;
  doc_url?: string;
}

export interface PaymentIntentObject {
  id: string;
  object: "payment_intent";
  livemode: false;
  created: number;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "succeeded" | "canceled";
  capture_method: "automatic" | "automatic_async";
  confirmation_method: "automatic";
  client_secret: string;
  customer: string | null;
  description: string | null;
  metadata: Metadata;
  latest_charge: string | null;
  payment_method: string | null;
  payment_method_types: string[];
  last_payment_error: LastPaymentError | null;
  next_action: { type: "use_stripe_sdk"; use_stripe_sdk: Record<string, never> } | null;
  setup_future_usage: "off_session" | "on_session" | null;
  receipt_email: string | null;
  canceled_at: number | null;
  cancellation_reason: "abandoned" | "automatic" | "duplicate" | "fraudulent" | "requested_by_customer" | "expired" | "void_invoice" | "failed_invoice" | null;
  application_fee_amount: number | null;
  transfer_data: { destination: string; amount?: number } | null;
  transfer_group: string | null;
  on_behalf_of: string | null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
}

export interface ChargeObject {
  id: string;
  object: "charge";
  livemode: false;
  created: number;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  status: "succeeded" | "pending" | "failed";
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  disputed: boolean;
  customer: string | null;
  description: string | null;
  metadata: Metadata;
  payment_intent: string | null;
  payment_method: string | null;
  payment_method_details: { type: "card"; card: { brand: string; last4: string; exp_month: number; exp_year: number; funding: "credit"; country: "US" } } | null;
  billing_details: { address: null; email: string | null; name: string | null; phone: null; tax_id: null };
  failure_code: string | null;
  failure_message: string | null;
  outcome: {
    advice_code: null;
    network_advice_code: null;
    network_decline_code: string | null;
    type: "authorized" | "issuer_declined" | "blocked"; network_status: "approved_by_network" | "declined_by_network" | "not_sent_to_network"; reason: string | null; risk_level: "normal"; seller_message: string } | null;
  balance_transaction: string | null;
  receipt_email: string | null;
  receipt_url: string | null;
  application_fee_amount: number | null;
  transfer_data: { destination: string; amount: number | null } | null;
  transfer_group: string | null;
  on_behalf_of: string | null;
}

export interface RefundObject {
  id: string;
  object: "refund";
  created: number;
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  payment_method: string | null;
  customer: string | null;
  metadata: Metadata;
  reason: "duplicate" | "fraudulent" | "requested_by_customer" | null;
  status: "pending" | "succeeded" | "failed" | "canceled";
  /** Why a refund failed (Stripe: lost_or_stolen_card, expired_or_canceled_card, insufficient_funds, declined, unknown...). */
  failure_reason?: string;
  balance_transaction: string | null;
  receipt_number: null;
  source_transfer_reversal: null;
  transfer_reversal: null;
  customer_account: null;
}

export interface CustomerObject {
  id: string;
  object: "customer";
  livemode: false;
  created: number;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  metadata: Metadata;
  balance: number;
  currency: string | null;
  default_source: null;
  delinquent: boolean;
  invoice_settings: { custom_fields: null; default_payment_method: string | null; footer: null; rendering_options: null };
  shipping: null;
}

export interface PaymentMethodObject {
  id: string;
  object: "payment_method";
  livemode: false;
  created: number;
  type: "card";
  card: {
    brand: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    funding: "credit";
    country: "US";
    display_brand: string;
  };
  billing_details: { address: null; email: string | null; name: string | null; phone: null; tax_id: null };
  customer: string | null;
  metadata: Metadata;
}

export type ApiObject =
  | CheckoutSessionObject
  | PaymentIntentObject
  | ChargeObject
  | RefundObject
  | CustomerObject
  | PaymentMethodObject;

export interface EventObject {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
  data: { object: ApiObject; previous_attributes?: Record<string, unknown> };
}

export interface ListObject<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

// ---------------------------------------------------------------------------------------------
// Compile-time checks against the SDK's types (no runtime cost).

type Compatible<Ours, Theirs> = [Exclude<keyof Ours, keyof Theirs>] extends [never]
  ? Ours extends Pick<Theirs, keyof Ours & keyof Theirs>
    ? true
    : { notAssignable: Ours }
  : { unknownFields: Exclude<keyof Ours, keyof Theirs> };

export const typeChecks: [
  Compatible<CheckoutSessionObject, Stripe.Checkout.Session>,
  Compatible<Omit<LineItemObject, "price">, Stripe.LineItem>,
  Compatible<Omit<PriceObject, "unit_amount_decimal">, Stripe.Price>,
  Compatible<PaymentIntentObject, Stripe.PaymentIntent>,
  // card details carry a dozen more nullable fields in the SDK types; the emulator fills the common ones
  Compatible<Omit<ChargeObject, "payment_method_details">, Stripe.Charge>,
  Compatible<RefundObject, Stripe.Refund>,
  Compatible<CustomerObject, Stripe.Customer>,
  Compatible<Omit<PaymentMethodObject, "card">, Stripe.PaymentMethod>,
  Compatible<Omit<EventObject, "data" | "type">, Stripe.Event>,
] = [true, true, true, true, true, true, true, true, true];
