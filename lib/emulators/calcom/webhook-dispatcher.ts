import { createHmac } from "node:crypto";
import type { EmuWebhook } from "./state";

/**
 * Delivers webhooks like Cal.com's sendPayload.ts: POST of the JSON string `{triggerEvent, createdAt, payload}`
 * with `Content-Type: application/json` and `X-Cal-Signature-256` = lowercase hex HMAC-SHA256(secret, exact body)
 * (the literal "no-secret-provided" when the webhook has no secret). `redirect: "manual"`, so a 3xx counts as a
 * failure; there are no retries (Cal.com only logs the result).
 *
 * Faults: drop the next N deliveries (recorded with dropped=true, never sent), duplicate the next N (sent twice,
 * same body and signature), or hold all deliveries and release them later, optionally in reverse/shuffled order.
 */
export interface WebhookDelivery {
  id: number;
  webhookId: number;
  url: string;
  triggerEvent: string;
  /** The exact body that was (or would have been) sent. */
  body: string;
  signature: string;
  payload: Record<string, unknown>;
  createdAt: string;
  dropped: boolean;
  duplicate: boolean;
  /** HTTP status from the subscriber, once sent. */
  status?: number;
  error?: string;
  sentAt?: number;
}

export type ReleaseOrder = "fifo" | "reverse" | "shuffle";

export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private nextId = 1;
  private dropCount = 0;
  private duplicateCount = 0;
  private holding = false;
  private held: WebhookDelivery[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly listeners = new Set<() => void>();

  dropNext(n: number) {
    this.dropCount += n;
  }
  duplicateNext(n: number) {
    this.duplicateCount += n;
  }
  hold() {
    this.holding = true;
  }

  /** Sends everything held, in the given order, and stops holding. */
  async release(order: ReleaseOrder = "fifo") {
    this.holding = false;
    const queue = [...this.held];
    this.held = [];
    if (order === "reverse") queue.reverse();
    if (order === "shuffle") {
      for (let i = queue.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [queue[i], queue[j]] = [queue[j], queue[i]];
      }
    }
    for (const delivery of queue) await this.send(delivery);
  }

  reset() {
    this.dropCount = 0;
    this.duplicateCount = 0;
    this.holding = false;
    this.held = [];
  }

  dispatch(webhook: EmuWebhook, triggerEvent: string, payload: Record<string, unknown>, createdAt: string) {
    const body = JSON.stringify({ triggerEvent, createdAt, payload });
    const signature = webhook.secret ? createHmac("sha256", webhook.secret).update(body).digest("hex") : "no-secret-provided";
    const base = { webhookId: webhook.id, url: webhook.subscriberUrl, triggerEvent, body, signature, payload, createdAt };
    const delivery: WebhookDelivery = { id: this.nextId++, ...base, dropped: false, duplicate: false };
    this.deliveries.push(delivery);
    if (this.dropCount > 0) {
      this.dropCount--;
      delivery.dropped = true;
      this.notify();
      return;
    }
    const copies = [delivery];
    if (this.duplicateCount > 0) {
      this.duplicateCount--;
      const copy: WebhookDelivery = { id: this.nextId++, ...base, dropped: false, duplicate: true };
      this.deliveries.push(copy);
      copies.push(copy);
    }
    for (const item of copies) {
      if (this.holding) this.held.push(item);
      else this.track(this.send(item));
    }
    this.notify();
  }

  /** Resolves when no delivery is in flight (held ones excluded). */
  async idle() {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Waits until a delivery matching the predicate has been attempted (sent, failed or dropped). */
  waitFor(predicate: (delivery: WebhookDelivery) => boolean, timeoutMs = 5_000): Promise<WebhookDelivery> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.deliveries.find((d) => predicate(d) && (d.dropped || d.status !== undefined || d.error !== undefined));
        if (found) {
          cleanup();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No matching webhook delivery within ${timeoutMs} ms (${this.deliveries.length} recorded)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  private track(promise: Promise<void>) {
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
  }

  private notify() {
    for (const listener of [...this.listeners]) listener();
  }

  private async send(delivery: WebhookDelivery) {
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-cal-signature-256": delivery.signature },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.status = response.status;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    } finally {
      delivery.sentAt = Date.now();
      this.notify();
    }
  }
}
