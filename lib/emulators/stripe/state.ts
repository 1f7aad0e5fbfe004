import type {
  ChargeObject,
  CheckoutSessionObject,
  CustomerObject,
  EventObject,
  LineItemObject,
  Metadata,
  PaymentIntentObject,
  PaymentMethodObject,
  RefundObject,
} from "./types";

/** What a Checkout Session keeps beyond its public JSON: the PaymentIntent it will create on payment. */
export interface SessionInternals {
  paymentIntentData: {
    metadata: Metadata;
    description: string | null;
    setupFutureUsage: "off_session" | "on_session" | null;
    captureMethod: "automatic" | "automatic_async";
    receiptEmail: string | null;
    applicationFeeAmount: number | null;
    transferData: { destination: string; amount?: number } | null;
    transferGroup: string | null;
    onBehalfOf: string | null;
    statementDescriptor: string | null;
    statementDescriptorSuffix: string | null;
  };
  /** Async (delayed-notification) payment waiting for `settleAsyncPayment`. */
  pendingAsync: "succeeded" | "failed" | null;
}

/** In-memory store; Maps keep insertion order, which the list endpoints reverse (newest first). */
export class EmulatorState {
  readonly checkoutSessions = new Map<string, CheckoutSessionObject>();
  readonly sessionInternals = new Map<string, SessionInternals>();
  readonly lineItems = new Map<string, LineItemObject[]>();
  readonly paymentIntents = new Map<string, PaymentIntentObject>();
  readonly charges = new Map<string, ChargeObject>();
  readonly refunds = new Map<string, RefundObject>();
  readonly customers = new Map<string, CustomerObject>();
  readonly paymentMethods = new Map<string, PaymentMethodObject>();
  readonly events = new Map<string, EventObject>();
  /**
   * A lower bound on the `expires_at` of every open session (Infinity when none is open), so the expiry sweep that
   * runs before each request skips its scan until a session can have expired. Scanning every session on every
   * request made the emulator's cost grow with the sessions it had made (a benchmark creates tens of thousands).
   */
  nextOpenExpiry = Infinity;
  /** Decline behaviour of payment methods made from Stripe's test tokens (`pm_card_chargeDeclined` → "generic_decline"). */
  readonly paymentMethodBehaviors = new Map<string, string>();

  /** Resolves an id by its prefix (used by `expand[]`). */
  lookup(id: string): { object: string } | undefined {
    if (id.startsWith("cs_")) return this.checkoutSessions.get(id);
    if (id.startsWith("pi_")) return this.paymentIntents.get(id);
    if (id.startsWith("ch_")) return this.charges.get(id);
    if (id.startsWith("re_")) return this.refunds.get(id);
    if (id.startsWith("cus_")) return this.customers.get(id);
    if (id.startsWith("pm_")) return this.paymentMethods.get(id);
    if (id.startsWith("evt_")) return this.events.get(id);
    return undefined;
  }

  sessionForPaymentIntent(paymentIntentId: string): CheckoutSessionObject | undefined {
    for (const session of this.checkoutSessions.values()) if (session.payment_intent === paymentIntentId) return session;
    return undefined;
  }
}

/** Emulator time: wall clock plus an offset tests can advance (session expiry). Webhook signatures use the real clock. */
export class EmulatorClock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Unix seconds. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  shift(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
