import type { IncomingMessage, ServerResponse } from "node:http";
import { StripeEmulatorError } from "./errors";
import type { ReleaseOrder } from "./faults";
import type { PayOptions } from "./resources/checkout";
import type { StripeEmulator } from "./server";

/**
 * A small JSON control API under `/_emulator/` for tests that run in another process than the emulator
 * (e.g. a browser test against an app whose emulator was started by a global setup). No auth: test tool only.
 *
 *   GET  /_emulator/deliveries                       → WebhookDelivery[]
 *   GET  /_emulator/events                           → every Event created (delivered or not)
 *   POST /_emulator/faults                           { declineNextPayment?: true | {declineCode?, times?}, requireAuthenticationNext?: true,
 *                                                      failNext?: {n?, status?}, webhookDelayMs?, duplicateWebhooks?, shuffleWebhooks?,
 *                                                      dropWebhooks?, holdWebhooks?: true, releaseWebhooks?: "fifo"|"reverse"|"shuffle", reset?: true }
 *   POST /_emulator/checkout/sessions/{id}/pay       PayOptions → PayResult
 *   POST /_emulator/checkout/sessions/{id}/settle    { outcome? } → session
 *   POST /_emulator/clock/advance                    { seconds } → { now, expired }
 *   POST /_emulator/events/{id}/resend               → WebhookDelivery
 *   POST /_emulator/wait                             { timeoutMs? } → WebhookDelivery[]
 *   POST /_emulator/webhook-url                      { url: string | null }
 */

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("Expected a JSON object");
  return parsed as Record<string, unknown>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function applyFaults(emulator: StripeEmulator, body: Record<string, unknown>): void {
  const f = emulator.faults;
  if (body.reset === true) f.reset();
  if (body.declineNextPayment) {
    const opts = typeof body.declineNextPayment === "object" ? (body.declineNextPayment as { declineCode?: string; times?: number }) : {};
    f.declineNextPayment(opts);
  }
  if (body.requireAuthenticationNext === true) f.requireAuthenticationNext();
  if (body.failNext) {
    const opts = typeof body.failNext === "object" ? (body.failNext as { n?: number; status?: number }) : {};
    f.failNext(opts.n ?? 1, opts.status ?? 500);
  }
  if (typeof body.webhookDelayMs === "number") f.webhookDelayMs = body.webhookDelayMs;
  if (typeof body.duplicateWebhooks === "boolean") f.duplicateWebhooks = body.duplicateWebhooks;
  if (typeof body.shuffleWebhooks === "boolean") f.shuffleWebhooks = body.shuffleWebhooks;
  if (typeof body.dropWebhooks === "boolean") f.dropWebhooks = body.dropWebhooks;
  if (body.holdWebhooks === true) f.holdWebhooks();
  if (typeof body.releaseWebhooks === "string") f.releaseWebhooks(body.releaseWebhooks as ReleaseOrder);
}

export async function handleControl(emulator: StripeEmulator, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const path = url.pathname.replace(/^\/_emulator/, "").replace(/\/+$/, "");
  try {
    if (method === "GET" && path === "/deliveries") return json(res, 200, emulator.events);
    if (method === "GET" && path === "/events") return json(res, 200, [...emulator.state.events.values()]);
    if (method !== "POST") return json(res, 404, { error: `No control route ${method} ${url.pathname}` });
    const body = await readJson(req);
    if (path === "/faults") {
      applyFaults(emulator, body);
      return json(res, 200, { ok: true, heldWebhooks: emulator.faults.heldWebhookCount() });
    }
    let m = /^\/checkout\/sessions\/([^/]+)\/pay$/.exec(path);
    if (m) return json(res, 200, await emulator.pay(decodeURIComponent(m[1]), body as PayOptions));
    m = /^\/checkout\/sessions\/([^/]+)\/settle$/.exec(path);
    if (m) {
      const outcome = body.outcome === "succeeded" || body.outcome === "failed" ? body.outcome : undefined;
      return json(res, 200, await emulator.settleAsyncPayment(decodeURIComponent(m[1]), outcome));
    }
    if (path === "/clock/advance") {
      const expired = emulator.clock.advance(Number(body.seconds ?? 0));
      return json(res, 200, { now: emulator.clock.now(), expired });
    }
    m = /^\/events\/([^/]+)\/resend$/.exec(path);
    if (m) return json(res, 200, await emulator.resendEvent(decodeURIComponent(m[1])));
    if (path === "/wait") return json(res, 200, await emulator.waitForDeliveries({ timeoutMs: typeof body.timeoutMs === "number" ? body.timeoutMs : undefined }));
    if (path === "/webhook-url") {
      emulator.setWebhookUrl(typeof body.url === "string" ? body.url : null);
      return json(res, 200, { url: emulator.webhookUrl() });
    }
    return json(res, 404, { error: `No control route ${method} ${url.pathname}` });
  } catch (error) {
    if (error instanceof StripeEmulatorError) return json(res, error.status, error.toJSON());
    return json(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}
