import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import type { EmulatorContext } from "./context";
import { handleControl } from "./control";
import { apiError, authenticationError, invalidParam, StripeEmulatorError } from "./errors";
import { StripeEmulatorFaults } from "./faults";
import { canonicalJson, FormParseError, parseForm, type FormObject } from "./form";
import { cancelAction, checkoutPage, payAction, type HttpReply } from "./hosted";
import { IdempotencyStore } from "./idempotency";
import { ID_PREFIXES, newId } from "./ids";
import { ParamReader } from "./params";
import { settleRefund } from "./resources/refunds";
import { paySession, settleAsyncPayment, sweepExpiredSessions, type PayOptions, type PayResult } from "./resources/checkout";
import { findRoute, unrecognizedUrl } from "./router";
import { generateWebhookSecret } from "./signature";
import { EmulatorClock, EmulatorState } from "./state";
import type { CheckoutSessionObject, EventObject, RefundObject } from "./types";
import { WebhookDispatcher, type WebhookDelivery } from "./webhooks";

export interface StripeEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Where events are POSTed, e.g. http://127.0.0.1:3000/api/webhooks/stripe. Settable later with setWebhookUrl(). */
  webhookUrl?: string;
  /** Endpoint signing secret (`whsec_…`); generated when omitted and exposed as `webhookSecret`. */
  webhookSecret?: string;
  /** Base URL for hosted pages (`session.url`) when browsers reach the emulator under another name. */
  publicUrl?: string;
  /** `api_version` stamped on events; defaults to the installed SDK's pinned version. */
  apiVersion?: string;
  /** Retries after a failed webhook attempt (default 3) and the first backoff (default 100 ms, doubling). */
  webhookRetries?: number;
  webhookRetryBaseMs?: number;
  /** Per-attempt timeout for webhook POSTs (default 10 s). */
  webhookTimeoutMs?: number;
  /** Event types delivered to the webhook URL, like an endpoint's `enabled_events` (default ["*"]). */
  enabledEvents?: string[];
  /** How often open sessions are checked for `expires_at` (default 1000 ms); they are also checked on every request. */
  expirySweepMs?: number;
}

export interface StripeEmulator {
  /** http://host:port of the running server. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: "http";
  readonly publicUrl: string;
  readonly webhookSecret: string;
  readonly apiVersion: string;
  readonly faults: StripeEmulatorFaults;
  /** Every webhook delivery attempt so far (live array), with the app's response status. */
  readonly events: readonly WebhookDelivery[];
  /** Events swallowed by `faults.dropWebhooks` (deliver later with `resendEvent`). */
  readonly dropped: readonly EventObject[];
  readonly state: EmulatorState;
  readonly clock: {
    /** Emulator time in unix seconds. */
    now(): number;
    /** Moves emulator time forward and expires sessions that are due; returns how many expired. */
    advance(seconds: number): number;
  };
  /** Options for `new Stripe(key, { ...emulator.sdkConfig() })`. */
  sdkConfig(): { host: string; port: number; protocol: "http" };
  webhookUrl(): string | null;
  setWebhookUrl(url: string | null): void;
  /** Pays an open session as the hosted page's "Pay" button does. */
  pay(sessionId: string, opts?: PayOptions): Promise<PayResult>;
  /** Completes a delayed payment started with `pay(id, { asyncPayment, settle: "manual" })`. */
  settleAsyncPayment(sessionId: string, outcome?: "succeeded" | "failed"): Promise<CheckoutSessionObject>;
  /** Settles a refund left pending by `faults.pendingRefunds`: succeeded, or failed (money back on the charge, refund.failed sent). */
  settleRefund(refundId: string, outcome: "succeeded" | "failed", failureReason?: string): Promise<RefundObject>;
  /** Delivers a stored event again; resolves with that delivery attempt. */
  resendEvent(eventId: string): Promise<WebhookDelivery>;
  /** Resolves when no delivery is queued, in flight or waiting for a retry; returns all deliveries so far. */
  waitForDeliveries(opts?: { timeoutMs?: number }): Promise<WebhookDelivery[]>;
  /** Resolves with the first delivery (already made or future) of `type` that matches. */
  waitForEvent(type: string, opts?: { timeoutMs?: number; predicate?: (d: WebhookDelivery) => boolean }): Promise<WebhookDelivery>;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalidParam("Request body too large."));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, reply: HttpReply): void {
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

function redactKey(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 3)}****`;
  return `${key.slice(0, 8)}${"*".repeat(Math.max(4, key.length - 12))}${key.slice(-4)}`;
}

function apiKeyFrom(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (!auth) return undefined;
  if (/^bearer /i.test(auth)) return auth.slice(7).trim() || undefined;
  if (/^basic /i.test(auth)) return Buffer.from(auth.slice(6), "base64").toString("utf8").split(":")[0] || undefined;
  return undefined;
}

function checkApiKey(req: IncomingMessage): void {
  const key = apiKeyFrom(req);
  if (!key) {
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (key.startsWith("pk_")) {
    throw authenticationError("This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.");
  }
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) throw authenticationError(`Invalid API Key provided: ${redactKey(key)}`);
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const host = options.host ?? "127.0.0.1";
  const webhookSecret = options.webhookSecret ?? generateWebhookSecret();
  const apiVersion = options.apiVersion ?? Stripe.API_VERSION;
  let webhookUrl: string | null = options.webhookUrl ?? null;
  let publicUrl = options.publicUrl ?? "";
  const state = new EmulatorState();
  const clock = new EmulatorClock();
  const idempotency = new IdempotencyStore();
  const dispatcher: WebhookDispatcher = new WebhookDispatcher({
    getUrl: () => webhookUrl,
    secret: webhookSecret,
    faults: (): StripeEmulatorFaults => faults,
    retries: options.webhookRetries ?? 3,
    retryBaseMs: options.webhookRetryBaseMs ?? 100,
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    enabledEvents: options.enabledEvents ?? ["*"],
  });
  const faults: StripeEmulatorFaults = new StripeEmulatorFaults(dispatcher);
  const ctx: EmulatorContext = {
    state,
    clock,
    faults,
    dispatcher,
    get publicUrl() {
      return publicUrl;
    },
    apiVersion,
    hasWebhookUrl: () => webhookUrl !== null,
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname.replace(/\/+$/, "");
    const requestId = newId(ID_PREFIXES.request, 14);
    const stripeVersion = (req.headers["stripe-version"] as string | undefined) ?? apiVersion;
    const rawKey = req.headers["idempotency-key"];
    const idempotencyKey = method === "POST" && typeof rawKey === "string" && rawKey !== "" ? rawKey : null;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "request-id": requestId,
      "stripe-version": stripeVersion,
      "cache-control": "no-cache, no-store",
    };
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...headers, ...extra });
      res.end(typeof body === "string" ? body : JSON.stringify(body, null, 2));
    };

    let params: FormObject;
    try {
      const raw = await readBody(req);
      if (faults.apiDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.apiDelayMs));
      checkApiKey(req);
      const failure = faults.takeFailure();
      if (failure !== undefined) throw apiError(failure);
      sweepExpiredSessions(ctx);
      params = method === "GET" || method === "DELETE" ? parseForm(url.search.slice(1)) : parseForm(raw);
    } catch (error) {
      const e = error instanceof FormParseError ? invalidParam(error.message, error.param) : error;
      if (e instanceof StripeEmulatorError) return reply(e.status, e.toJSON());
      return reply(500, apiError(500, "Unexpected error reading the request.").toJSON());
    }

    const fingerprint = canonicalJson(params);
    if (idempotencyKey) {
      try {
        const stored = idempotency.check(idempotencyKey, method, path, fingerprint);
        if (stored) return reply(stored.status, stored.body, { "idempotent-replayed": "true", "original-request": stored.requestId, "request-id": requestId });
      } catch (error) {
        if (error instanceof StripeEmulatorError) return reply(error.status, error.toJSON());
        throw error;
      }
    }

    const route = findRoute(method, path);
    let status: number;
    let body: string;
    let store = true;
    if (!route) {
      const e = unrecognizedUrl(method, url.pathname);
      status = e.status;
      body = JSON.stringify(e.toJSON(), null, 2);
      store = false;
    } else {
      try {
        const result = route.handler(ctx, { id: route.id, p: new ParamReader(params), request: { id: requestId, idempotencyKey } });
        status = 200;
        body = JSON.stringify(result, null, 2);
      } catch (error) {
        if (error instanceof StripeEmulatorError) {
          status = error.status;
          body = JSON.stringify(error.toJSON(), null, 2);
          store = error.storeForIdempotency;
        } else {
          console.error("[stripe-emulator] handler crashed", error);
          const e = apiError(500, `Stripe emulator bug: ${error instanceof Error ? error.message : String(error)}`);
          status = 500;
          body = JSON.stringify(e.toJSON(), null, 2);
          store = false;
        }
      }
    }
    if (idempotencyKey && store) idempotency.store(idempotencyKey, { method, path, fingerprint, status, body, requestId });
    reply(status, body);
  }

  async function handleHosted(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const match = /^\/checkout\/([^/]+)(?:\/(pay|cancel))?\/?$/.exec(url.pathname);
    const method = (req.method ?? "GET").toUpperCase();
    if (!match) return send(res, { status: 404, headers: { "content-type": "text/plain" }, body: "Not found" });
    const sessionId = decodeURIComponent(match[1]);
    const action = match[2];
    if (!action && method === "GET") return send(res, checkoutPage(ctx, sessionId));
    if (action && method === "POST") {
      let form: FormObject;
      try {
        form = parseForm(await readBody(req));
      } catch {
        form = parseForm("");
      }
      return send(res, action === "pay" ? payAction(ctx, sessionId, form) : cancelAction(ctx, sessionId));
    }
    send(res, { status: 405, headers: { "content-type": "text/plain", allow: action ? "POST" : "GET" }, body: "Method not allowed" });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    let work: Promise<void>;
    if (url.pathname.startsWith("/v1/")) work = handleApi(req, res, url);
    else if (url.pathname.startsWith("/checkout/")) work = handleHosted(req, res, url);
    else if (url.pathname.startsWith("/_emulator/")) work = handleControl(emulator, req, res, url);
    else if (url.pathname === "/" || url.pathname === "/health") {
      work = Promise.resolve(send(res, { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ stripeEmulator: true, apiVersion }) }));
    } else {
      work = Promise.resolve(send(res, { status: 404, headers: { "content-type": "text/plain" }, body: "Not found" }));
    }
    work.catch((error) => {
      console.error("[stripe-emulator] request failed", error);
      if (!res.headersSent) send(res, { status: 500, headers: { "content-type": "text/plain" }, body: "Internal error" });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, "");

  const sweepTimer = setInterval(() => sweepExpiredSessions(ctx), options.expirySweepMs ?? 1000);
  sweepTimer.unref();

  const emulator: StripeEmulator = {
    url,
    host,
    port,
    protocol: "http",
    publicUrl,
    webhookSecret,
    apiVersion,
    faults,
    events: dispatcher.deliveries,
    dropped: dispatcher.dropped,
    state,
    clock: {
      now: () => clock.now(),
      advance(seconds: number) {
        clock.shift(seconds);
        return sweepExpiredSessions(ctx);
      },
    },
    sdkConfig: () => ({ host, port, protocol: "http" as const }),
    webhookUrl: () => webhookUrl,
    setWebhookUrl(next: string | null) {
      webhookUrl = next;
    },
    async pay(sessionId, opts) {
      return paySession(ctx, sessionId, opts);
    },
    async settleAsyncPayment(sessionId, outcome) {
      return settleAsyncPayment(ctx, sessionId, outcome);
    },
    async settleRefund(refundId, outcome, failureReason) {
      return settleRefund(ctx, refundId, outcome, failureReason);
    },
    resendEvent(eventId) {
      const event = state.events.get(eventId);
      if (!event) return Promise.reject(new Error(`Stripe emulator: no event ${eventId}`));
      return dispatcher.resend(event);
    },
    async waitForDeliveries(opts = {}) {
      await dispatcher.waitForIdle(opts.timeoutMs);
      return [...dispatcher.deliveries];
    },
    waitForEvent(type, opts = {}) {
      return dispatcher.waitForDelivery((d) => d.type === type && (opts.predicate?.(d) ?? true), opts.timeoutMs);
    },
    async stop() {
      clearInterval(sweepTimer);
      dispatcher.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return emulator;
}
