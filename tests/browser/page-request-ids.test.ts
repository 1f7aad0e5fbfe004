import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "@/lib/accounts/service";
import { createPrismaClient } from "@/lib/db/client";
import { freePort } from "@/lib/db/embedded-postgres";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { startDatabaseProxy, type DatabaseProxy } from "../support/db-proxy";

/**
 * Request ids on page renders, in the built app: a second `next start` over the tier's build, with logging on and
 * its stdout captured, and its database behind a relay this file can break. A page render that logs (a Stripe
 * lookup failing while the student booking page renders) writes a line whose requestId is the response's
 * X-Request-Id; a render that throws (the database gone) is logged by onRequestError with the same id; an API route
 * with the database gone answers 503.
 */
const root = path.resolve(import.meta.dirname, "../..");
let server: ChildProcess | undefined;
let proxy: DatabaseProxy;
let baseUrl: string;
let output = "";

const logLines = () =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

async function waitForLine(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const found = logLines().find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no such log line; server output:\n${output.slice(-4000)}`);
}

let bookingId: string;
const STUDENT_EMAIL = `page.ids.${Date.now()}@example.com`;

beforeAll(async () => {
  const databaseUrl = inject("browserDatabaseUrl");
  // A booking of the demo student on hold, whose Checkout Session Stripe does not know: the booking page asks
  // Stripe why the payment failed when the student comes back with ?checkout=cancelled, and logs the failure.
  const db = createPrismaClient(databaseUrl);
  try {
    // Its own student: a hold of a shared demo student would count against that student's hold cap in the
    // journeys that run after this file on the same database.
    const student = await db.user.create({
      data: { email: STUDENT_EMAIL, name: "Page Ids Student", role: "STUDENT", timeZone: "UTC", passwordHash: await hashPassword(DEMO_PASSWORD) },
    });
    const offering = await db.offering.findFirstOrThrow({ where: { active: true } });
    const startsAt = new Date(Date.UTC(2033, 2, 3, 7 + Math.floor(Math.random() * 10)));
    const endsAt = new Date(startsAt.getTime() + offering.durationMinutes * 60_000);
    bookingId = (await db.booking.create({
      data: {
        coachId: offering.coachId, studentId: student.id, offeringId: offering.id, status: "PENDING_PAYMENT", startsAt, endsAt, blockedFrom: startsAt, blockedUntil: endsAt,
        holdExpiresAt: new Date(Date.now() + 3600_000), stripeCheckoutSessionId: `cs_test_unknown_${Date.now()}`, checkoutUrl: "http://127.0.0.1/checkout",
        studentTimeZone: "UTC", title: offering.title, priceMinor: offering.priceMinor, currency: offering.currency, policy: {},
      },
    })).id;
  } finally {
    await db.$disconnect();
  }

  proxy = await startDatabaseProxy(databaseUrl);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: proxy.url,
    APP_URL: baseUrl,
    NEXTAUTH_URL: baseUrl,
    NEXTAUTH_SECRET: "page-request-ids-secret-page-request-ids",
    STRIPE_SECRET_KEY: "sk_test_page_request_ids",
    STRIPE_WEBHOOK_SECRET: "whsec_page_request_ids",
    STRIPE_API_BASE: inject("integrationUrls").stripe,
    // The tier's own server runs the jobs.
    COACHBOOK_WORKER: "off",
  };
  delete env.COACHBOOK_LOG;
  for (const key of ["CALCOM_API_KEY", "CALCOM_CLIENT_ID", "CALCOM_CLIENT_SECRET"]) delete env[key];
  server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout?.on("data", (chunk) => (output += chunk));
  server.stderr?.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/signin`, { signal: AbortSignal.timeout(5000) })).status < 500) break;
    } catch {
      // not up yet
    }
    if (server.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterAll(async () => {
  server?.kill("SIGTERM");
  await proxy?.stop();
  // The hold was made by hand (no expiry job): end it, so it blocks nothing for the files after this one.
  const db = createPrismaClient(inject("browserDatabaseUrl"));
  try {
    if (bookingId) await db.booking.update({ where: { id: bookingId }, data: { status: "EXPIRED", holdExpiresAt: new Date() } });
  } finally {
    await db.$disconnect();
  }
});

/** A real next-auth sign-in over HTTP; returns the cookie header of the session. */
async function signInCookie(email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, "x-forwarded-for": "192.0.2.77" },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  expect(response.status).toBe(200);
  const session = response.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.includes("session-token"));
  expect(session).toBeTruthy();
  return `${csrfCookie}; ${session}`;
}

describe("request ids on page renders (built app)", () => {
  let cookie: string;

  it("a line written while a page renders carries the response's X-Request-Id", async () => {
    cookie = await signInCookie(STUDENT_EMAIL, DEMO_PASSWORD);
    const response = await fetch(`${baseUrl}/student/bookings/${bookingId}?checkout=cancelled`, { headers: { cookie } });
    expect(response.status).toBe(200);
    await response.text();
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await waitForLine((l) => l.message === "could not read the last payment attempt");
    expect(line).toMatchObject({ level: "warn", requestId });
    expect(JSON.stringify(line.error)).toMatch(/No such checkout|resource_missing|404/i);
    // An id a proxy in front sent along is kept, on the response and on the render's lines alike.
    const given = `edge-${Date.now()}-abc`;
    const again = await fetch(`${baseUrl}/student/bookings/${bookingId}?checkout=cancelled`, { headers: { cookie, "x-request-id": given } });
    await again.text();
    expect(again.headers.get("x-request-id")).toBe(given);
    await waitForLine((l) => l.message === "could not read the last payment attempt" && l.requestId === given);
  });

  it("a render that throws (the database gone) is logged by onRequestError, once per error, with the same id, route and stack", async () => {
    await proxy.setMode("refuse");
    try {
      const response = await fetch(`${baseUrl}/student/bookings/${bookingId}`, { headers: { cookie } });
      await response.text();
      expect(response.status).toBe(500);
      const requestId = response.headers.get("x-request-id");
      expect(requestId).toBeTruthy();
      const line = await waitForLine((l) => l.message === "unhandled error while rendering" && l.requestId === requestId);
      expect(line).toMatchObject({ level: "error", method: "GET", path: `/student/bookings/${bookingId}`, route: "/student/bookings/[id]" });
      expect(JSON.stringify(line.error)).toMatch(/"stack":/);
      // One line per error: the layout and the page may each throw (two digests), but no error is logged twice.
      const digests = logLines().filter((l) => l.message === "unhandled error while rendering" && l.requestId === requestId).map((l) => l.digest);
      expect(digests.length).toBeGreaterThanOrEqual(1);
      expect(new Set(digests).size).toBe(digests.length);
      // Prisma's words, or pg's (refused, or a pooled connection cut) where the read goes straight to the pool (the
      // session read: lib/db/client.ts hotQuery).
      expect(JSON.stringify(line.error)).toMatch(/Can't reach database server|ECONNREFUSED|Connection terminated/);

      // The pages after it do not render into the error page: proxy.ts answers 503 with Retry-After for a few seconds
      // (lib/db/outage.ts), a page that says what happened.
      const next = await fetch(`${baseUrl}/student/bookings`, { headers: { cookie } });
      expect(next.status).toBe(503);
      expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(next.headers.get("cache-control")).toBe("no-store");
      expect(next.headers.get("x-request-id")).toBeTruthy();
      expect(await next.text()).toMatch(/briefly unavailable/);

      // And an API route with the database gone: 503 + Retry-After in the one error shape, not 500.
      const api = await fetch(`${baseUrl}/api/accounts`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.78" },
        body: JSON.stringify({ role: "STUDENT", name: "Down", email: `down-${Date.now()}@example.com`, password: "long-enough-pw", timeZone: "UTC" }),
      });
      expect(api.status).toBe(503);
      expect(Number(api.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await api.json()).error.code).toBe("SERVICE_UNAVAILABLE");
      await waitForLine((l) => l.message === "database unreachable" && l.requestId === api.headers.get("x-request-id"));
    } finally {
      await proxy.setMode("forward");
    }
  });

  it("once the database is back, pages render again after the short 503 window", async () => {
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      const response = await fetch(`${baseUrl}/student/bookings`, { headers: { cookie } });
      await response.text();
      status = response.status;
      if (status === 200) break;
      expect(status).toBe(503); // never the error page: the database is reachable again
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(status).toBe(200);
  });
});
