/** Fault injection switches. Counters are consumed in order; flags stay on until turned off (or `reset()`). */

export interface DeclineSpec {
  /** Stripe error `code`: `card_declined`, `expired_card`, `incorrect_cvc`, `authentication_required`, … */
  code: string;
  declineCode?: string;
  message: string;
}

const DECLINE_MESSAGES: Record<string, string> = {
  generic_decline: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  lost_card: "Your card was declined.",
  stolen_card: "Your card was declined.",
  do_not_honor: "Your card was declined.",
  card_velocity_exceeded: "Your card has exceeded its velocity limit.",
};

export function declineSpec(declineCode = "generic_decline"): DeclineSpec {
  if (declineCode === "expired_card") return { code: "expired_card", message: "Your card has expired." };
  if (declineCode === "incorrect_cvc") return { code: "incorrect_cvc", message: "Your card's security code is incorrect." };
  if (declineCode === "authentication_required") {
    return { code: "authentication_required", declineCode: "authentication_required", message: "Your card was declined. This transaction requires authentication." };
  }
  return { code: "card_declined", declineCode, message: DECLINE_MESSAGES[declineCode] ?? "Your card was declined." };
}

export type ReleaseOrder = "fifo" | "reverse" | "shuffle" | (<T>(events: T[]) => T[]);

/** Implemented by the webhook dispatcher; reachable through `faults.holdWebhooks()` and friends. */
export interface WebhookHolder {
  hold(): void;
  release(order?: ReleaseOrder): number;
  heldCount(): number;
}

export class StripeEmulatorFaults {
  /** Delay before each webhook delivery attempt, in ms. */
  webhookDelayMs = 0;
  /** Deliver every event twice (same event id), as Stripe's at-least-once delivery may. */
  duplicateWebhooks = false;
  /** Deliver the events produced by one operation (e.g. Pay: charge.succeeded, payment_intent.succeeded, checkout.session.completed) in a shuffled order, never the original one. */
  shuffleWebhooks = false;
  /** Create events (visible in `state.events` and `GET /v1/events`) but do not deliver them; they land in `dropped`. */
  dropWebhooks = false;

  /** A slow Stripe: every API answer waits this long, in ms (concurrent requests overlap, as two app workers' would). */
  apiDelayMs = 0;

  /** The next `n` refunds are created `pending` (Stripe: card refunds wait when the balance is short) until `settleRefund()`. */
  pendingRefunds = 0;

  private declines: DeclineSpec[] = [];
  private failures: number[] = [];

  constructor(private readonly holder: WebhookHolder) {}

  /** The next payment attempt (hosted Pay, `pay()`, PaymentIntent confirm) is declined. `times` attempts in a row. */
  declineNextPayment(opts: { declineCode?: string; times?: number } = {}): void {
    for (let i = 0; i < (opts.times ?? 1); i++) this.declines.push(declineSpec(opts.declineCode));
  }

  /** The next payment attempt needs 3DS: off-session confirms fail with 402 `authentication_required`. */
  requireAuthenticationNext(): void {
    this.declines.push(declineSpec("authentication_required"));
  }

  /** The next `n` API requests (`/v1/...`) answer `status` with an `api_error` body; not stored for idempotent replay. */
  failNext(n = 1, status = 500): void {
    for (let i = 0; i < n; i++) this.failures.push(status);
  }

  /** Queue webhook events instead of delivering them, until `releaseWebhooks()`. */
  holdWebhooks(): void {
    this.holder.hold();
  }

  /** Delivers the held events in the given order ("fifo", "reverse", "shuffle" or a function) and stops holding. Returns how many. */
  releaseWebhooks(order: ReleaseOrder = "fifo"): number {
    return this.holder.release(order);
  }

  heldWebhookCount(): number {
    return this.holder.heldCount();
  }

  /** Clears counters and flags; held webhooks are released in order. */
  reset(): void {
    this.webhookDelayMs = 0;
    this.apiDelayMs = 0;
    this.duplicateWebhooks = false;
    this.shuffleWebhooks = false;
    this.dropWebhooks = false;
    this.pendingRefunds = 0;
    this.declines = [];
    this.failures = [];
    if (this.holder.heldCount() > 0) this.holder.release("fifo");
  }

  /** @internal */
  takeDecline(): DeclineSpec | undefined {
    return this.declines.shift();
  }

  /** @internal */
  takeFailure(): number | undefined {
    return this.failures.shift();
  }
}
