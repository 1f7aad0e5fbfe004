import http from "node:http";
import net from "node:net";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import "../support/session";
import { POST as signUp } from "@/app/api/accounts/route";
import { POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { POST as calcomWebhook } from "@/app/api/webhooks/calcom/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { databaseDownFor } from "@/lib/db/outage";
import { API_BODY_LIMIT_BYTES, WEBHOOK_BODY_LIMIT_BYTES } from "@/lib/http/body";
import { logDestination } from "@/lib/log";

/**
 * Request bodies that never arrive whole, on a real socket. Node's HTTP server fails an unfinished body with
 * `Error("aborted")`, code ECONNRESET (what `next start` logged during the create-booking benchmark), the code of a
 * dropped database socket too: it used to be answered as a database outage, logged as an error, and every page of
 * the process answered 503 for five seconds after it. A client that closes early is now a REQUEST_ABORTED 400
 * and nothing else; bodies over the limit are refused without being read to the end.
 */
type RouteHandler = (req: NextRequest, ctx: never) => Promise<Response>;
const routes: Record<string, RouteHandler> = {
  "/api/accounts": signUp as RouteHandler,
  "/api/auth/callback/credentials": authPost as unknown as RouteHandler,
  "/api/webhooks/stripe": stripeWebhook as RouteHandler,
  "/api/webhooks/calcom": calcomWebhook as RouteHandler,
};

let server: http.Server;
let port: number;
const answered: { path: string; status: number; body: { error?: { code?: string } } }[] = [];
let lines: Record<string, unknown>[] = [];
const originalWrite = logDestination.write;

const savedSecret = process.env.STRIPE_WEBHOOK_SECRET;
beforeAll(async () => {
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_request_bodies";
  logDestination.write = (line) => void lines.push(...line.split("\n").filter(Boolean).map((l) => JSON.parse(l)));
  // The route handlers behind a plain Node server: the request body is the socket's stream, as in `next start`.
  server = http.createServer(async (req, res) => {
    const path = req.url!.split("?")[0];
    const handler = routes[path];
    const request = new NextRequest(new URL(req.url!, `http://127.0.0.1:${port}`), {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as ConstructorParameters<typeof NextRequest>[1]);
    const response = await handler(request, { params: Promise.resolve({ nextauth: path.split("/").slice(3) }) } as never);
    answered.push({ path, status: response.status, body: await response.json().catch(() => ({})) });
    if (!res.destroyed) res.writeHead(response.status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  logDestination.write = originalWrite;
  if (savedSecret === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
  else process.env.STRIPE_WEBHOOK_SECRET = savedSecret;
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  answered.length = 0;
  lines = [];
});

/** Sends the head of a POST that promises `declared` bytes, then `sent` of them, then closes the connection. */
async function unfinishedPost(path: string, contentType: string, declared: number, sent: string) {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${contentType}\r\nContent-Length: ${declared}\r\n\r\n${sent}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
  await expect.poll(() => answered.length, { timeout: 5_000 }).toBe(1);
  return answered[0];
}

describe("a client that closes the connection mid-body", () => {
  it.each([
    ["/api/accounts", "application/json", '{"email":"half@coachbook.test","pass'],
    ["/api/auth/callback/credentials", "application/x-www-form-urlencoded", "email=half%40coachbook.test&passw"],
    ["/api/webhooks/stripe", "application/json", '{"id":"evt_half","type":"checkout.session.completed","da'],
    ["/api/webhooks/calcom", "application/json", '{"triggerEvent":"BOOKING_CANCELLED","payl'],
  ])("%s: REQUEST_ABORTED (400), not a database outage", async (path, contentType, sent) => {
    const answer = await unfinishedPost(path, contentType, 2_000, sent);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe("REQUEST_ABORTED");
    expect(databaseDownFor()).toBe(0);
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
  });
});

describe("bodies over the limit", () => {
  async function post(path: string, chunks: number, chunkBytes: number, headers: Record<string, string> = {}) {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled++ >= chunks) return controller.close();
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
      },
    });
    const response = await routes[path](new NextRequest(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]), { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) } as never);
    return { response, pulled };
  }

  it("an API body is refused once it passes the limit, and not read further", async () => {
    const { response, pulled } = await post("/api/accounts", 1_000, 10_000); // 10 MB offered
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(pulled * 10_000).toBeLessThan(API_BODY_LIMIT_BYTES + 100_000);
  });

  it("a webhook body over its limit is refused (413), one within it is read", async () => {
    const over = await post("/api/webhooks/stripe", 200, 10_000, { "stripe-signature": "t=1,v1=00" });
    expect(over.response.status).toBe(413);
    expect(over.pulled * 10_000).toBeLessThan(WEBHOOK_BODY_LIMIT_BYTES + 100_000);
    // 500 KB is read whole and then judged by its signature, which this one does not have.
    const within = await post("/api/webhooks/stripe", 50, 10_000, { "stripe-signature": "t=1,v1=00" });
    expect(within.response.status).toBe(400);
    expect(((await within.response.json()) as { error: { code: string } }).error.code).toBe("INVALID_SIGNATURE");
  });

  it("a Content-Length over the limit is refused before any of the body is read", async () => {
    const { response, pulled } = await post("/api/accounts", 1, 10, { "content-length": String(API_BODY_LIMIT_BYTES + 1) });
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1); // a stream may pull its first chunk when it is built; none is consumed
  });

  it("a sign-in body over 10 KB is refused before next-auth reads it", async () => {
    const { response } = await post("/api/auth/callback/credentials", 2, 10_000);
    expect(response.status).toBe(413);
  });
});
