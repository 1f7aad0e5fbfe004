import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "@/lib/emulators/stripe";

/**
 * Drives the Stripe emulator with the real `stripe` SDK (pointed at it with host/port/protocol) and receives
 * its webhooks on a local HTTP server that verifies them with `stripe.webhooks.constructEvent`.
 */

const WEBHOOK_SECRET = "whsec_emulator_integration_test";

interface Received {
  raw: string;
  signature: string;
  event: Stripe.Event;
}

class Receiver {
  received: Received[] = [];
  /** Status to answer for the n-th request (0-based); default 200. */
  statusFor: (n: number) => number = () => 200;
  private count = 0;
  server!: Server;
  url = "";

  async start(stripe: Stripe): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url?.startsWith("/hook")) {
          const raw = Buffer.concat(chunks).toString("utf8");
          const signature = String(req.headers["stripe-signature"]);
          const status = this.statusFor(this.count++);
          try {
            // Exactly what the app's route does with the raw body.
            const event = stripe.webhooks.constructEvent(raw, signature, WEBHOOK_SECRET);
            if (status >= 200 && status < 300) this.received.push({ raw, signature, event });
            res.writeHead(status).end(status < 300 ? "ok" : "fail");
          } catch (error) {
            res.writeHead(400).end(String(error));
          }
          return;
        }
        res.writeHead(200, { "content-type": "text/plain" }).end(`page ${req.url}`);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.received = [];
    this.count = 0;
    this.statusFor = () => 200;
  }

  types(): string[] {
    return this.received.map((r) => r.event.type);
  }
}

let emulator: StripeEmulator;
let stripe: Stripe;
const receiver = new Receiver();

function sessionParams(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [{ price_data: { currency: "eur", unit_amount: 4500, product_data: { name: "Coaching session · 60 min" } }, quantity: 1 }],
    client_reference_id: "booking_1",
    metadata: { bookingId: "booking_1" },
    payment_intent_data: { metadata: { bookingId: "booking_1" } },
    customer_email: "student@example.com",
    success_url: `${receiver.url}/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${receiver.url}/cancel`,
    ...overrides,
  };
}

/** Fetches the hosted page and submits one of its forms, like a browser would. */
async function submitHostedForm(url: string, button: "pay" | "cancel", fields: Record<string, string> = {}): Promise<Response> {
  const html = await (await fetch(url)).text();
  const form = new RegExp(`<form method="post" action="([^"]+)" id="${button}-form">`).exec(html);
  if (!form) throw new Error(`no ${button} form on ${url}:\n${html}`);
  return fetch(new URL(form[1], url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

async function paidSession(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Promise<{ session: Stripe.Checkout.Session; paymentIntent: Stripe.PaymentIntent }> {
  const created = await stripe.checkout.sessions.create(sessionParams(overrides));
  const result = await emulator.pay(created.id);
  expect(result.outcome).toBe("paid");
  const session = await stripe.checkout.sessions.retrieve(created.id, { expand: ["payment_intent"] });
  return { session, paymentIntent: session.payment_intent as Stripe.PaymentIntent };
}

beforeAll(async () => {
  const sdkForVerification = new Stripe("sk_test_receiver");
  await receiver.start(sdkForVerification);
  emulator = await startStripeEmulator({ port: 0, webhookUrl: `${receiver.url}/hook`, webhookSecret: WEBHOOK_SECRET, webhookRetryBaseMs: 20 });
  stripe = new Stripe("sk_test_emulator", { host: emulator.host, port: emulator.port, protocol: "http" });
});

afterAll(async () => {
  await emulator?.stop();
  await new Promise((resolve) => receiver.server?.close(resolve));
});

beforeEach(async () => {
  await emulator.waitForDeliveries();
  emulator.faults.reset();
  emulator.setWebhookUrl(`${receiver.url}/hook`);
  receiver.reset();
});

describe("Stripe emulator driven by the real SDK", () => {
  it("is reached by new Stripe(key, { host, port, protocol: 'http' }) and answers Stripe-shaped sessions", async () => {
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    const session = await stripe.checkout.sessions.create(sessionParams());
    expect(session.id).toMatch(/^cs_test_[A-Za-z0-9]{20,}$/);
    expect(session).toMatchObject({
      object: "checkout.session",
      livemode: false,
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: 4500,
      currency: "eur",
      client_reference_id: "booking_1",
      metadata: { bookingId: "booking_1" },
      customer_email: "student@example.com",
      payment_intent: null,
      url: `${emulator.url}/checkout/${session.id}`,
    });
    expect(session.expires_at - session.created).toBe(24 * 60 * 60);
    expect(Number.isInteger(session.created)).toBe(true);
    expect(session.lastResponse.requestId).toMatch(/^req_/);
  });

  it("requires an sk_test_ key", async () => {
    const live = new Stripe("sk_live_1234567890abcdef", { host: emulator.host, port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
    const error = await live.customers.create({ email: "x@example.com" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(401);

    const res = await fetch(`${emulator.url}/v1/customers`, { method: "POST" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringContaining("did not provide an API key") } });
  });

  it("replays an idempotent create and rejects the same key with other parameters", async () => {
    const key = `checkout:booking_1:${Date.now()}`;
    const first = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: key });
    const replay = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: key });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();

    const conflict = await stripe.checkout.sessions
      .create(sessionParams({ metadata: { bookingId: "booking_2" } }), { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(conflict).toMatchObject({ type: "StripeIdempotencyError", statusCode: 400, rawType: "idempotency_error" });
    expect([...emulator.state.checkoutSessions.values()].filter((s) => s.id === first.id)).toHaveLength(1);
  });

  it("rejects unknown and invalid parameters like Stripe", async () => {
    const unknown = await stripe.checkout.sessions
      .create({ ...sessionParams(), payment_method_typos: ["card"] } as Stripe.Checkout.SessionCreateParams)
      .catch((e: Stripe.errors.StripeError) => e);
    expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknown).toMatchObject({ code: "parameter_unknown", param: "payment_method_typos", statusCode: 400 });

    const both = await stripe.checkout.sessions.create(sessionParams({ customer: "cus_x" })).catch((e: Stripe.errors.StripeError) => e);
    expect(both).toMatchObject({ code: "parameters_exclusive" });

    const tooSmall = await stripe.checkout.sessions
      .create(sessionParams({ line_items: [{ price_data: { currency: "eur", unit_amount: 10, product_data: { name: "x" } }, quantity: 1 }] }))
      .catch((e: Stripe.errors.StripeError) => e);
    expect(tooSmall).toMatchObject({ code: "amount_too_small", statusCode: 400 });
  });

  it("enforces expires_at between 30 minutes and 24 hours ahead", async () => {
    const now = emulator.clock.now();
    for (const expires_at of [now + 29 * 60, now + 24 * 60 * 60 + 60]) {
      const error = await stripe.checkout.sessions.create(sessionParams({ expires_at })).catch((e: Stripe.errors.StripeError) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ param: "expires_at", statusCode: 400 });
    }
    const ok = await stripe.checkout.sessions.create(sessionParams({ expires_at: now + 31 * 60 }));
    expect(ok.expires_at).toBe(now + 31 * 60);
  });

  it("pays through the hosted page: Pay redirects to success_url and a verified checkout.session.completed arrives", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const page = await fetch(session.url as string);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="pay"');
    expect(html).toContain('id="cancel"');
    expect(html).toContain("Coaching session · 60 min");
    expect(html).toContain("€45.00");

    const pay = await submitHostedForm(session.url as string, "pay", { email: "student@example.com" });
    expect(pay.status).toBe(303);
    expect(pay.headers.get("location")).toBe(`${receiver.url}/success?session_id=${session.id}`);
    const landing = await fetch(pay.headers.get("location") as string);
    expect(await landing.text()).toBe(`page /success?session_id=${session.id}`);

    const delivery = await emulator.waitForEvent("checkout.session.completed", { predicate: (d) => (d.event.data.object as { id: string }).id === session.id });
    expect(delivery.status).toBe(200);
    await emulator.waitForDeliveries();
    const completed = receiver.received.find((r) => r.event.type === "checkout.session.completed");
    expect(completed).toBeDefined();
    // The receiver already verified it; check the header shape and the event envelope too.
    expect(completed!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(completed!.event).toMatchObject({ object: "event", livemode: false, api_version: Stripe.API_VERSION, pending_webhooks: 1 });
    expect(completed!.event.id).toMatch(/^evt_/);
    const object = completed!.event.data.object as Stripe.Checkout.Session;
    expect(object).toMatchObject({ id: session.id, status: "complete", payment_status: "paid", metadata: { bookingId: "booking_1" }, client_reference_id: "booking_1" });
    expect(receiver.types()).toEqual(expect.arrayContaining(["payment_intent.succeeded", "charge.succeeded", "checkout.session.completed"]));

    const retrieved = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent", "payment_intent.latest_charge", "line_items"] });
    expect(retrieved.url).toBeNull();
    const pi = retrieved.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ object: "payment_intent", status: "succeeded", amount: 4500, amount_received: 4500, currency: "eur", metadata: { bookingId: "booking_1" } });
    expect(pi.id).toMatch(/^pi_/);
    expect((pi.latest_charge as Stripe.Charge)).toMatchObject({ object: "charge", paid: true, amount: 4500, amount_refunded: 0, refunded: false });
    expect(retrieved.line_items?.data[0]).toMatchObject({ object: "item", quantity: 1, amount_total: 4500, description: "Coaching session · 60 min" });

    const list = await stripe.checkout.sessions.list({ payment_intent: pi.id });
    expect(list.data.map((s) => s.id)).toEqual([session.id]);

    const again = await submitHostedForm(session.url as string, "pay").catch(() => undefined);
    expect(again).toBeUndefined(); // a completed session no longer shows the Pay form
  });

  it("Cancel redirects to cancel_url and leaves the session open", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await submitHostedForm(session.url as string, "cancel");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${receiver.url}/cancel`);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });

  it("expires an open session once, sends checkout.session.expired, and the page refuses payment", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: "expired", payment_status: "unpaid", url: null });
    const again = await stripe.checkout.sessions.expire(session.id).catch((e: Stripe.errors.StripeError) => e);
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again).toMatchObject({ statusCode: 400 });
    expect((again as Error).message).toContain('status of "expired"');

    const delivery = await emulator.waitForEvent("checkout.session.expired");
    expect((delivery.event.data.object as { id: string }).id).toBe(session.id);

    const pay = await fetch(`${emulator.url}/checkout/${session.id}/pay`, { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(410);
    expect(await pay.text()).toContain("expired");

    const { session: paid } = await paidSession();
    const completeError = await stripe.checkout.sessions.expire(paid.id).catch((e: Stripe.errors.StripeError) => e);
    expect(completeError).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it("expires sessions by themselves at expires_at", async () => {
    const now = emulator.clock.now();
    const session = await stripe.checkout.sessions.create(sessionParams({ expires_at: now + 31 * 60 }));
    emulator.clock.advance(30 * 60);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect(emulator.clock.advance(2 * 60)).toBeGreaterThanOrEqual(1);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
    const delivery = await emulator.waitForEvent("checkout.session.expired", { predicate: (d) => (d.event.data.object as { id: string }).id === session.id });
    expect(delivery.event.request).toEqual({ id: null, idempotency_key: null });
    expect(receiver.types()).toContain("checkout.session.expired");
  });

  it("expires each session at its own expires_at, whatever the order they were made in", async () => {
    // The sweep skips its scan until the earliest open expiry (state.nextOpenExpiry): a session made later that
    // expires sooner must lower that mark, and a sweep must leave it at the next session still open.
    const now = emulator.clock.now();
    const late = await stripe.checkout.sessions.create(sessionParams({ expires_at: now + 50 * 60 }));
    const soon = await stripe.checkout.sessions.create(sessionParams({ expires_at: now + 31 * 60 }));
    const middle = await stripe.checkout.sessions.create(sessionParams({ expires_at: now + 40 * 60 }));
    const status = async () => Promise.all([late, soon, middle].map(async (s) => (await stripe.checkout.sessions.retrieve(s.id)).status));
    emulator.clock.advance(32 * 60);
    expect(await status()).toEqual(["open", "expired", "open"]);
    emulator.clock.advance(9 * 60);
    expect(await status()).toEqual(["open", "expired", "expired"]);
    emulator.clock.advance(10 * 60);
    expect(await status()).toEqual(["expired", "expired", "expired"]);
  });

  it("refunds in full, in parts, and never more than remains", async () => {
    const { paymentIntent } = await paidSession();
    const full = await stripe.refunds.create({ payment_intent: paymentIntent.id }, { idempotencyKey: `refund:${paymentIntent.id}` });
    expect(full).toMatchObject({ object: "refund", amount: 4500, currency: "eur", status: "succeeded", payment_intent: paymentIntent.id });
    expect(full.id).toMatch(/^re_/);
    const charge = await stripe.charges.retrieve(paymentIntent.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 4500, refunded: true });
    const twice = await stripe.refunds.create({ payment_intent: paymentIntent.id }).catch((e: Stripe.errors.StripeError) => e);
    expect(twice).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(twice).toMatchObject({ code: "charge_already_refunded", statusCode: 400 });

    const { paymentIntent: pi2 } = await paidSession();
    const part1 = await stripe.refunds.create({ payment_intent: pi2.id, amount: 1000, reason: "requested_by_customer", metadata: { policy: "late" } });
    expect(part1).toMatchObject({ amount: 1000, reason: "requested_by_customer", metadata: { policy: "late" } });
    const over = await stripe.refunds.create({ payment_intent: pi2.id, amount: 3501 }).catch((e: Stripe.errors.StripeError) => e);
    expect(over).toMatchObject({ code: "amount_too_large", param: "amount", statusCode: 400 });
    await stripe.refunds.create({ payment_intent: pi2.id, amount: 3500 });
    expect(await stripe.charges.retrieve(pi2.latest_charge as string)).toMatchObject({ amount_refunded: 4500, refunded: true });
    const list = await stripe.refunds.list({ payment_intent: pi2.id });
    expect(list.data.map((r) => r.amount)).toEqual([3500, 1000]);
    expect((await stripe.refunds.retrieve(part1.id)).amount).toBe(1000);

    await emulator.waitForDeliveries();
    expect(receiver.types().filter((t) => t === "refund.created")).toHaveLength(3);
    const refunded = receiver.received.filter((r) => r.event.type === "charge.refunded").map((r) => r.event.data.object as Stripe.Charge);
    expect(refunded.map((c) => c.amount_refunded)).toEqual([4500, 1000, 4500]);

    const unpaid = await stripe.checkout.sessions.create(sessionParams());
    expect(unpaid.payment_intent).toBeNull();
    const missing = await stripe.refunds.create({ payment_intent: "pi_missing" }).catch((e: Stripe.errors.StripeError) => e);
    expect(missing).toMatchObject({ code: "resource_missing", statusCode: 404 });
  });

  it("shows a declined card on the page, keeps the session open and sends payment_intent.payment_failed", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    emulator.faults.declineNextPayment({ declineCode: "insufficient_funds" });
    const declined = await submitHostedForm(session.url as string, "pay");
    expect(declined.status).toBe(402);
    const html = await declined.text();
    expect(html).toContain('id="error"');
    expect(html).toContain("Your card has insufficient funds.");
    expect(html).toContain('id="pay"');

    const after = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(after).toMatchObject({ status: "open", payment_status: "unpaid" });
    const failedPi = after.payment_intent as Stripe.PaymentIntent;
    expect(failedPi).toMatchObject({ status: "requires_payment_method", last_payment_error: { code: "card_declined", decline_code: "insufficient_funds" } });
    const failed = await emulator.waitForEvent("payment_intent.payment_failed");
    expect((failed.event.data.object as { id: string }).id).toBe(failedPi.id);

    const retry = await submitHostedForm(session.url as string, "pay");
    expect(retry.status).toBe(303);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid", payment_intent: failedPi.id });
  });

  it("completes async payments unpaid first, then sends async_payment_succeeded / _failed", async () => {
    const ok = await stripe.checkout.sessions.create(sessionParams());
    const started = await emulator.pay(ok.id, { asyncPayment: "succeeded", settle: "manual" });
    expect(started.outcome).toBe("processing");
    expect(await stripe.checkout.sessions.retrieve(ok.id)).toMatchObject({ status: "complete", payment_status: "unpaid" });
    await emulator.settleAsyncPayment(ok.id);
    expect(await stripe.checkout.sessions.retrieve(ok.id)).toMatchObject({ status: "complete", payment_status: "paid" });

    const bad = await stripe.checkout.sessions.create(sessionParams());
    await emulator.pay(bad.id, { asyncPayment: "failed" });
    await emulator.waitForDeliveries();
    const forSession = (id: string) =>
      receiver.received.filter((r) => r.event.type.startsWith("checkout.session.") && (r.event.data.object as { id: string }).id === id).map((r) => r.event.type);
    expect(forSession(ok.id)).toEqual(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);
    expect(forSession(bad.id)).toEqual(["checkout.session.completed", "checkout.session.async_payment_failed"]);
    const completedUnpaid = receiver.received.find((r) => r.event.type === "checkout.session.completed" && (r.event.data.object as { id: string }).id === ok.id);
    expect((completedUnpaid!.event.data.object as Stripe.Checkout.Session).payment_status).toBe("unpaid");
    expect(await stripe.checkout.sessions.retrieve(bad.id, { expand: ["payment_intent"] })).toMatchObject({
      payment_status: "unpaid",
      payment_intent: { status: "requires_payment_method" },
    });
  });

  it("delivers every event twice with duplicateWebhooks", async () => {
    emulator.faults.duplicateWebhooks = true;
    const { session } = await paidSession();
    await emulator.waitForDeliveries();
    const completed = receiver.received.filter((r) => r.event.type === "checkout.session.completed");
    expect(completed).toHaveLength(2);
    expect(completed[0].event.id).toBe(completed[1].event.id);
    expect((completed[0].event.data.object as { id: string }).id).toBe(session.id);
    expect(emulator.events.filter((d) => d.duplicate && d.type === "checkout.session.completed")).toHaveLength(1);
  });

  it("holds a batch and releases it out of order; shuffleWebhooks reorders each batch", async () => {
    emulator.faults.holdWebhooks();
    const { session } = await paidSession();
    expect(receiver.received).toHaveLength(0);
    const published = [...emulator.state.events.values()]
      .filter((e) => (e.data.object as { id: string }).id === session.id || (e.data.object as { id: string }).id === session.payment_intent)
      .map((e) => e.type);
    expect(emulator.faults.heldWebhookCount()).toBeGreaterThanOrEqual(3);
    emulator.faults.releaseWebhooks("reverse");
    await emulator.waitForDeliveries();
    const order = receiver.types();
    expect(order.indexOf("checkout.session.completed")).toBeLessThan(order.indexOf("payment_intent.succeeded"));
    expect(published.indexOf("checkout.session.completed")).toBeGreaterThan(published.indexOf("payment_intent.succeeded"));

    receiver.reset();
    emulator.faults.shuffleWebhooks = true;
    const other = await stripe.checkout.sessions.create(sessionParams());
    await emulator.pay(other.id);
    await emulator.waitForDeliveries();
    const batch = ["charge.succeeded", "payment_intent.succeeded", "checkout.session.completed"];
    expect(receiver.types().filter((t) => batch.includes(t))).not.toEqual(batch);
  });

  it("retries a webhook the app answered with a 5xx, with backoff, until it gets a 2xx", async () => {
    receiver.statusFor = (n) => (n < 2 ? 500 : 200);
    emulator.faults.dropWebhooks = false;
    const customer = await stripe.customers.create({ email: "retry@example.com" });
    const session = await stripe.checkout.sessions.create(sessionParams({ customer_email: undefined, customer: customer.id }));
    emulator.faults.holdWebhooks();
    await emulator.pay(session.id);
    emulator.faults.releaseWebhooks((events) => events.filter((e) => (e as { type: string }).type === "checkout.session.completed"));
    await emulator.waitForDeliveries();
    const attempts = emulator.events.filter((d) => d.type === "checkout.session.completed" && (d.event.data.object as { id: string }).id === session.id);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(15);
    expect(attempts[0].signature).not.toBe(undefined);
    expect(receiver.received.filter((r) => r.event.type === "checkout.session.completed")).toHaveLength(1);
  });

  it("drops webhooks on request and resendEvent delivers them later", async () => {
    emulator.faults.dropWebhooks = true;
    const { session } = await paidSession();
    await emulator.waitForDeliveries();
    expect(receiver.received).toHaveLength(0);
    const dropped = emulator.dropped.find((e) => e.type === "checkout.session.completed" && (e.data.object as { id: string }).id === session.id);
    expect(dropped).toBeDefined();
    const fromApi = await stripe.events.retrieve(dropped!.id);
    expect(fromApi.type).toBe("checkout.session.completed");
    const delivery = await emulator.resendEvent(dropped!.id);
    expect(delivery).toMatchObject({ status: 200, resent: true, eventId: dropped!.id });
    expect(receiver.received.map((r) => r.event.id)).toEqual([dropped!.id]);
  });

  it("delays webhooks so the success redirect can win the race; an unreachable app gets a bounded number of retries", async () => {
    emulator.faults.webhookDelayMs = 150;
    const session = await stripe.checkout.sessions.create(sessionParams());
    const pay = await submitHostedForm(session.url as string, "pay");
    expect(pay.status).toBe(303);
    expect(receiver.received).toHaveLength(0);
    await emulator.waitForEvent("checkout.session.completed", { predicate: (d) => (d.event.data.object as { id: string }).id === session.id });
    emulator.faults.webhookDelayMs = 0;
    await emulator.waitForDeliveries();

    emulator.setWebhookUrl("http://127.0.0.1:9/unreachable");
    const customer = await stripe.customers.create({ email: "x@example.com" });
    const intent = await stripe.paymentIntents.create({ amount: 2000, currency: "eur", customer: customer.id });
    await emulator.waitForDeliveries();
    const attempts = emulator.events.filter((d) => d.type === "payment_intent.created" && (d.event.data.object as { id: string }).id === intent.id);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(attempts.every((a) => a.status === null && !a.ok && a.error)).toBe(true);
  });

  it("offers the same controls over HTTP under /_emulator/ for tests in another process", async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${emulator.url}/_emulator${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }));
    expect((await post("/faults", { declineNextPayment: { declineCode: "generic_decline" } })).status).toBe(200);
    const session = await stripe.checkout.sessions.create(sessionParams());
    expect((await post(`/checkout/sessions/${session.id}/pay`, {})).body.outcome).toBe("declined");
    expect((await post(`/checkout/sessions/${session.id}/pay`, {})).body.outcome).toBe("paid");
    const other = await stripe.checkout.sessions.create(sessionParams({ expires_at: emulator.clock.now() + 40 * 60 }));
    expect((await post("/clock/advance", { seconds: 41 * 60 })).body.expired).toBeGreaterThanOrEqual(1);
    expect((await stripe.checkout.sessions.retrieve(other.id)).status).toBe("expired");
    await post("/wait", {});
    const deliveries = (await (await fetch(`${emulator.url}/_emulator/deliveries`)).json()) as Array<{ type: string }>;
    expect(deliveries.map((d) => d.type)).toEqual(expect.arrayContaining(["payment_intent.payment_failed", "checkout.session.completed", "checkout.session.expired"]));
  });

  it("surfaces injected 5xx faults as StripeAPIError (and the SDK's own retries get through a single one)", async () => {
    const noRetry = new Stripe("sk_test_emulator", { host: emulator.host, port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
    emulator.faults.failNext(1, 500);
    const error = await noRetry.checkout.sessions.create(sessionParams()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(500);

    const withRetry = new Stripe("sk_test_emulator", { host: emulator.host, port: emulator.port, protocol: "http", maxNetworkRetries: 1 });
    emulator.faults.failNext(1, 503);
    const before = emulator.state.checkoutSessions.size;
    const session = await withRetry.checkout.sessions.create(sessionParams(), { idempotencyKey: `retry:${Date.now()}` });
    expect(session.status).toBe("open");
    expect(emulator.state.checkoutSessions.size).toBe(before + 1);
  });

  it("charges a difference off-session with the card saved at checkout, and reports authentication_required", async () => {
    const customer = await stripe.customers.create({ email: "saver@example.com", name: "Sam Saver", metadata: { userId: "u1" } });
    expect(customer).toMatchObject({ object: "customer", email: "saver@example.com", metadata: { userId: "u1" } });
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
    const { paymentIntent } = await paidSession({ customer_email: undefined, customer: customer.id, payment_intent_data: { setup_future_usage: "off_session", metadata: { bookingId: "b9" } } });
    const pm = paymentIntent.payment_method as string;
    expect(pm).toMatch(/^pm_/);
    const saved = await stripe.customers.listPaymentMethods(customer.id);
    expect(saved.data.map((p) => p.id)).toEqual([pm]);

    const diff = await stripe.paymentIntents.create(
      { amount: 1500, currency: "eur", customer: customer.id, payment_method: pm, off_session: true, confirm: true, metadata: { bookingId: "b9", rescheduleSeq: "1" } },
      { idempotencyKey: `diff:b9:1:${Date.now()}` },
    );
    expect(diff).toMatchObject({ status: "succeeded", amount_received: 1500, metadata: { rescheduleSeq: "1" } });
    expect((await stripe.paymentIntents.retrieve(diff.id)).latest_charge).toMatch(/^ch_/);

    emulator.faults.requireAuthenticationNext();
    const sca = await stripe.paymentIntents
      .create({ amount: 1500, currency: "eur", customer: customer.id, payment_method: pm, off_session: true, confirm: true })
      .catch((e: Stripe.errors.StripeError) => e);
    expect(sca).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(sca).toMatchObject({ code: "authentication_required", statusCode: 402 });
    expect((sca as Stripe.errors.StripeCardError).payment_intent).toMatchObject({ status: "requires_payment_method" });
  });
});
