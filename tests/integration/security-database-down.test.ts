import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useRequestHeaders } from "../support/next-headers-mock";
import { startDatabaseProxy, type DatabaseProxy, type DatabaseProxyMode } from "../support/db-proxy";
import { actAs, jsonRequest, noParams } from "../support/session";
import { createStudent } from "../support/fixtures";
import { POST as signUp } from "@/app/api/accounts/route";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { POST as createBookingRoute } from "@/app/api/calcom/create-booking/route";
import { GET as health } from "@/app/api/health/route";
import { GET as profile } from "@/app/api/profile/route";
import { DATABASE_DOWN_RETRY_AFTER_SECONDS } from "@/lib/http/route";
import { logDestination } from "@/lib/log";

/**
 * PostgreSQL unreachable, for real: DATABASE_URL points at a TCP relay to this file's database that the test
 * breaks ("refuse": nothing listens; "hang-up": connections, open ones included, are dropped). Both the rate
 * limiters' pg pool and Prisma's pool go through it. Routes answer 503 + Retry-After in the one error shape,
 * the limiter stays closed (no sign-in is checked), each refusal is one logged line with the cause, and all is
 * well again once the database is back.
 */
let proxy: DatabaseProxy;
let realUrl: string;
let lines: Record<string, unknown>[] = [];
const originalWrite = logDestination.write;

beforeAll(async () => {
  realUrl = process.env.DATABASE_URL!;
  proxy = await startDatabaseProxy(realUrl);
  process.env.DATABASE_URL = proxy.url;
  delete process.env.RATE_LIMITS;
  logDestination.write = (line) => void lines.push(...line.split("\n").filter(Boolean).map((l) => JSON.parse(l)));
});
afterAll(async () => {
  logDestination.write = originalWrite;
  actAs(null);
  process.env.DATABASE_URL = realUrl;
  await proxy?.stop();
});

let address = 0;
const newAddress = () => `198.51.100.${++address}`;
const signUpRequest = (email: string) =>
  signUp(jsonRequest("/api/accounts", { role: "STUDENT", name: "Down Test", email, password: "long-enough-pw", timeZone: "UTC" }, { headers: { "content-type": "application/json", "x-forwarded-for": newAddress() } }), noParams);

async function signIn(email: string, password: string) {
  const ip = newAddress();
  const csrfReq = new NextRequest("http://localhost/api/auth/csrf", { headers: { "x-forwarded-for": ip } });
  useRequestHeaders(csrfReq.headers);
  const csrf = await authGet(csrfReq, { params: Promise.resolve({ nextauth: ["csrf"] }) });
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const req = new NextRequest("http://localhost/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": ip },
    body: new URLSearchParams({ csrfToken: (await csrf.json()).csrfToken, email, password, json: "true" }).toString(),
  });
  useRequestHeaders(req.headers);
  return authPost(req, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
}

/** 503, Retry-After, the one error shape, and exactly one error line (with the cause) carrying the request's id. */
async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe(String(DATABASE_DOWN_RETRY_AFTER_SECONDS));
  const body = await response.json();
  expect(body.error).toEqual({ code: "SERVICE_UNAVAILABLE", message: expect.stringMatching(/try again/i), details: { retryAfterSeconds: DATABASE_DOWN_RETRY_AFTER_SECONDS } });
  const requestId = response.headers.get("x-request-id");
  const errors = lines.filter((l) => l.level === "error" && l.requestId === requestId);
  expect(errors).toHaveLength(1);
  expect(errors[0].message).toBe("database unreachable");
  expect(JSON.stringify(errors[0].error)).toMatch(/ECONNREFUSED|Connection terminated|Can't reach database/);
  return body;
}

async function breakDatabase(mode: DatabaseProxyMode) {
  await proxy.setMode(mode);
  lines = [];
}

describe.each(["refuse", "hang-up"] as const)("database unreachable (%s)", (mode) => {
  let studentId: string;
  let signedUpEmail: string;

  beforeAll(async () => {
    await proxy.setMode("forward");
    // Warm both pools through the relay, so "hang-up" also cuts connections that were already open.
    signedUpEmail = `down-${mode}-${Date.now()}@example.com`;
    expect((await signUpRequest(signedUpEmail)).status).toBe(201);
    studentId = (await createStudent()).id;
    await breakDatabase(mode);
  });

  it("a rate-limited route (sign-up, per address) answers 503 with Retry-After, not 500", async () => {
    await expectUnavailable(await signUpRequest(`refused-${mode}@example.com`));
  });

  it("sign-in fails closed with 503 (no password is checked) and carries the url next-auth's client reads", async () => {
    const body = await expectUnavailable(await signIn(signedUpEmail, "long-enough-pw"));
    expect(new URL(body.url).searchParams.get("error")).toBe("ServiceUnavailable");
  });

  it("a per-account limited route (create-booking) answers 503", async () => {
    actAs({ id: studentId, name: "S", email: "s@example.com", role: "STUDENT", timeZone: "UTC" });
    await expectUnavailable(await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: "x", startTime: new Date(Date.now() + 86_400_000).toISOString() }), noParams));
  });

  it("a route that only reads through Prisma answers 503 too (one mapping in the route wrapper)", async () => {
    actAs({ id: studentId, name: "S", email: "s@example.com", role: "STUDENT", timeZone: "UTC" });
    await expectUnavailable(await profile(jsonRequest("/api/profile"), noParams));
  });

  it("the health check still says the database is down", async () => {
    actAs(null);
    const response = await health(jsonRequest("/api/health"), noParams);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, database: "down" });
  });

  it("once the database is back, the same routes work again", async () => {
    await proxy.setMode("forward");
    expect((await signUpRequest(`back-${mode}@example.com`)).status).toBe(201);
    expect((await signIn(signedUpEmail, "long-enough-pw")).status).toBe(200);
    actAs(null);
    expect((await health(jsonRequest("/api/health"), noParams)).status).toBe(200);
  });
});
