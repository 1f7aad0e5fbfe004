import type { ReleaseOrder, StripeEmulatorFaults, WebhookHolder } from "./faults";
import { signatureHeader } from "./signature";
import type { EventObject } from "./types";

/** One delivery attempt of one event, with the app's answer. */
export interface WebhookDelivery {
  eventId: string;
  type: string;
  event: EventObject;
  /** 1 for the first attempt, 2.. for retries after a non-2xx answer or a network error. */
  attempt: number;
  /** HTTP status the app answered; null on a network error or timeout. */
  status: number | null;
  ok: boolean;
  error?: string;
  /** First 2 000 characters of the app's answer. */
  responseBody: string;
  /** The second copy sent because `faults.duplicateWebhooks` was on. */
  duplicate: boolean;
  /** Sent by `resendEvent()`. */
  resent: boolean;
  url: string;
  signature: string;
  /** Epoch ms when the attempt started. */
  at: number;
  durationMs: number;
}

export interface DispatcherOptions {
  getUrl(): string | null;
  secret: string;
  faults: () => StripeEmulatorFaults;
  /** Retries after the first attempt (Stripe retries for days; here a few times). */
  retries: number;
  /** Backoff before retry k is `retryBaseMs * 2^(k-1)`. */
  retryBaseMs: number;
  timeoutMs: number;
  /** Like a Stripe endpoint's `enabled_events`: exact types or "*". Others are created but not delivered. */
  enabledEvents: string[];
}

interface QueueItem {
  event: EventObject;
  attempt: number;
  duplicate: boolean;
  resent: boolean;
  onDone?: (delivery: WebhookDelivery) => void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fisher–Yates, then guarantee a different order when there is more than one element. */
export function shuffleDifferent<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  if (out.length > 1 && out.every((x, i) => x === items[i])) out.reverse();
  return out;
}

function ordered<T>(items: T[], order: ReleaseOrder): T[] {
  if (typeof order === "function") return order([...items]);
  if (order === "reverse") return [...items].reverse();
  if (order === "shuffle") return shuffleDifferent(items);
  return [...items];
}

/**
 * Delivers events one at a time, in publication order (unless a fault reorders them). A non-2xx answer or a
 * network error schedules a retry with exponential backoff at the back of the queue, so later events are not
 * blocked by a failing one (which is also how Stripe ends up delivering out of order).
 */
export class WebhookDispatcher implements WebhookHolder {
  readonly deliveries: WebhookDelivery[] = [];
  readonly dropped: EventObject[] = [];
  private queue: QueueItem[] = [];
  private pumping = false;
  private inFlight = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private held: EventObject[] | null = null;
  private idleWaiters: Array<() => void> = [];
  private deliveryListeners: Array<(d: WebhookDelivery) => void> = [];
  private stopped = false;

  constructor(private readonly opts: DispatcherOptions) {}

  /** Events produced by one operation; the dispatcher applies drop / hold / shuffle / duplicate faults. */
  publish(all: EventObject[]): void {
    const enabled = this.opts.enabledEvents;
    const events = enabled.includes("*") ? all : all.filter((e) => enabled.includes(e.type));
    if (events.length === 0 || this.stopped || !this.opts.getUrl()) return;
    const faults = this.opts.faults();
    if (faults.dropWebhooks) {
      this.dropped.push(...events);
      return;
    }
    if (this.held) {
      this.held.push(...events);
      return;
    }
    this.enqueue(faults.shuffleWebhooks ? shuffleDifferent(events) : events);
  }

  private enqueue(events: EventObject[]): void {
    const duplicate = this.opts.faults().duplicateWebhooks;
    for (const event of events) {
      this.queue.push({ event, attempt: 1, duplicate: false, resent: false });
      if (duplicate) this.queue.push({ event, attempt: 1, duplicate: true, resent: false });
    }
    void this.pump();
  }

  hold(): void {
    this.held ??= [];
  }

  release(order: ReleaseOrder = "fifo"): number {
    const held = this.held ?? [];
    this.held = null;
    if (held.length > 0) this.enqueue(ordered(held, order));
    return held.length;
  }

  heldCount(): number {
    return this.held?.length ?? 0;
  }

  /** Delivers a stored event again right now (ignores drop/hold/shuffle/duplicate); resolves with the first attempt. */
  resend(event: EventObject): Promise<WebhookDelivery> {
    return new Promise((resolve, reject) => {
      if (!this.opts.getUrl()) {
        reject(new Error("Stripe emulator: no webhook URL set"));
        return;
      }
      this.queue.push({ event, attempt: 1, duplicate: false, resent: true, onDone: resolve });
      void this.pump();
    });
  }

  isIdle(): boolean {
    return this.queue.length === 0 && !this.pumping && this.inFlight === 0 && this.retryTimers.size === 0;
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry (held events do not count). */
  async waitForIdle(timeoutMs = 10_000): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        reject(
          new Error(
            `Stripe emulator: webhook deliveries still pending after ${timeoutMs} ms (queued ${this.queue.length}, retries scheduled ${this.retryTimers.size})`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.idleWaiters.push(done);
    });
  }

  /** Resolves with the first delivery (past or future) matching `predicate`. */
  waitForDelivery(predicate: (d: WebhookDelivery) => boolean, timeoutMs = 10_000): Promise<WebhookDelivery> {
    const existing = this.deliveries.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const listener = (d: WebhookDelivery) => {
        if (!predicate(d)) return;
        clearTimeout(timer);
        this.deliveryListeners = this.deliveryListeners.filter((l) => l !== listener);
        resolve(d);
      };
      const timer = setTimeout(() => {
        this.deliveryListeners = this.deliveryListeners.filter((l) => l !== listener);
        reject(new Error(`Stripe emulator: no matching webhook delivery within ${timeoutMs} ms`));
      }, timeoutMs);
      this.deliveryListeners.push(listener);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.queue = [];
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (!this.isIdle() && !this.stopped) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const item = this.queue.shift() as QueueItem;
        const delay = this.opts.faults().webhookDelayMs;
        if (delay > 0) await sleep(delay);
        if (this.stopped) break;
        const url = this.opts.getUrl();
        if (!url) continue;
        this.inFlight++;
        let delivery: WebhookDelivery;
        try {
          delivery = await this.attempt(item, url);
        } finally {
          this.inFlight--;
        }
        this.deliveries.push(delivery);
        item.onDone?.(delivery);
        for (const listener of [...this.deliveryListeners]) listener(delivery);
        if (!delivery.ok && item.attempt <= this.opts.retries && !this.stopped) this.scheduleRetry(item);
      }
    } finally {
      this.pumping = false;
      this.notifyIdle();
    }
  }

  private scheduleRetry(item: QueueItem): void {
    const wait = this.opts.retryBaseMs * 2 ** (item.attempt - 1);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (this.stopped) return;
      this.queue.push({ ...item, attempt: item.attempt + 1, onDone: undefined });
      void this.pump();
    }, wait);
    this.retryTimers.add(timer);
  }

  private async attempt(item: QueueItem, url: string): Promise<WebhookDelivery> {
    // Stripe sends pretty-printed JSON; the signature covers these exact bytes. Each attempt is signed anew.
    const payload = JSON.stringify(item.event, null, 2);
    const signature = signatureHeader(payload, this.opts.secret);
    const at = Date.now();
    const base = { eventId: item.event.id, type: item.event.type, event: item.event, attempt: item.attempt, duplicate: item.duplicate, resent: item.resent, url, signature, at };
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": signature,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          accept: "*/*; q=0.5, application/xml",
          "cache-control": "no-cache",
        },
        body: payload,
        redirect: "manual",
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const text = await res.text().catch(() => "");
      return { ...base, status: res.status, ok: res.status >= 200 && res.status < 300, responseBody: text.slice(0, 2000), durationMs: Date.now() - at };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      const message = cause?.code ?? (error instanceof Error ? error.message : String(error));
      return { ...base, status: null, ok: false, error: message, responseBody: "", durationMs: Date.now() - at };
    }
  }
}
