import fc from "fast-check";
import { NextRequest } from "next/server";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useRequestHeaders } from "../support/next-headers-mock";
import { actAs } from "../support/session";
import { API_ROUTES, buildWorld, type ApiRow, type World } from "../support/security-world";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { signCalcomPayload } from "@/lib/calcom";
import { useEmulators } from "../support/emulators";

/**
 * Property-based fuzz over every API route (tests/support/security-world.ts) and next-auth's routes: hostile
 * bodies, query strings and headers, as anonymous, a student and a coach. Every answer must be 2xx/3xx/4xx, JSON
 * with the one error shape when >= 400, and arrive within MAX_MS. Rate limits are off here so the inputs reach
 * the handlers (security-rate-limits.test.ts covers the limits). Runs are bounded (FUZZ_RUNS per route and
 * actor) so the file stays well under a minute on 2 cores; the seed is printed, so a failure can be replayed.
 */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const MAX_MS = 3000;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let world: World;
const stats = { cases: 0, serverErrors: 0, slowest: 0, byStatus: {} as Record<number, number> };

const { stripe } = useEmulators({ env: { CALCOM_WEBHOOK_SECRET: "fuzz-hook", RATE_LIMITS: "off" } });
beforeAll(async () => {
  world = await buildWorld();
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${FUZZ_RUNS} runs per route and actor`);
});
afterAll(async () => {
  actAs(null);
  console.log(`fuzz: ${stats.cases} requests, ${stats.serverErrors} answered 5xx, slowest ${stats.slowest} ms, by status ${JSON.stringify(stats.byStatus)}`);
});

// Strings PostgreSQL, JavaScript dates or parsers have trouble with, mixed with random ones.
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "\u0000", "a\u0000b", "", " ", "\uD800", "\uFFFF", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+275760-09-13T00:00:00Z", "-000001-01-01T00:00:00Z",
    "2026-02-30T10:00:00Z", "1970-01-01T00:00:00Z", "NaN", "1e400", "-1", "9".repeat(40), "x".repeat(3000), "<script>alert(1)</script>", "'; DROP TABLE users; --",
    "../../etc/passwd", "Europe/Berlin", "Mars/Olympus", "UTC", "STUDENT", "COACH", "ADMIN", "eur", "JPY", "120.00", "49,90", "00:00", "24:00", "25:61",
  ),
);
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, 1e308, -0, 0.5),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 3 }),
  ),
})).value;

function keysOf(value: unknown): string[] {
  return value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];
}

/** A body: the route's valid one with fields replaced or dropped, random JSON, or raw text. */
function bodyArb(valid: unknown) {
  const keys = keysOf(valid);
  const mutated = keys.length
    ? fc.record({ field: fc.constantFrom(...keys), replacement: fc.option(hostileValue, { nil: undefined }) }).map(({ field, replacement }) => JSON.stringify({ ...(valid as object), [field]: replacement }))
    : fc.constant(JSON.stringify(valid ?? {}));
  return fc.oneof(
    { weight: 4, arbitrary: mutated },
    { weight: 2, arbitrary: hostileValue.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...keys, "role", "id", "__proto__", "constructor"), hostileValue, { maxKeys: 5 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom("{not json", "null", "[]", '"x"', "\u0000", "{\"a\":\"\\u0000\"}", "", "{".repeat(2000), JSON.stringify({ a: "x".repeat(120_000) })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
}

const headersArb = fc.record({
  contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"),
  // Mostly no Origin or our own (so bodies reach the handlers); sometimes a foreign or broken one.
  origin: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constant("http://localhost") }, { weight: 2, arbitrary: fc.constantFrom("https://evil.example", "null", "not a url") }),
  forwardedFor: fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s))), { nil: undefined }),
  requestId: fc.option(fc.string({ unit: "grapheme-ascii", maxLength: 120 }).filter((s) => /^[\x20-\x7e]*$/.test(s)), { nil: undefined }),
  signature: fc.constantFrom("none", "garbage", "valid"),
});

function queryArb(row: ApiRow) {
  const valid = new URL(row.path(world), "http://localhost").searchParams;
  const keys = [...valid.keys()];
  if (!keys.length) return fc.constant("");
  return fc.oneof(
    fc.record({ field: fc.constantFrom(...keys), value: fc.option(hostileString, { nil: undefined }) }).map(({ field, value }) => {
      const q = new URLSearchParams(valid);
      if (value === undefined) q.delete(field);
      else q.set(field, value);
      return q.toString();
    }),
    fc.dictionary(fc.constantFrom(...keys, "x"), hostileString, { maxKeys: 6 }).map((d) => new URLSearchParams(d).toString()),
    fc.constantFrom("%00", "from=%ZZ", "coachId[]=1&coachId[]=2", "a=".repeat(500)),
  );
}

function sign(row: ApiRow, raw: string, mode: string): Record<string, string> {
  if (!row.signed || mode === "none") return {};
  const header = row.signed === "stripe" ? "stripe-signature" : "x-cal-signature-256";
  if (mode === "garbage") return { [header]: "t=1,v1=deadbeef" };
  return { [header]: row.signed === "stripe" ? Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: stripe.webhookSecret }) : signCalcomPayload(raw, "fuzz-hook") };
}

async function check(label: string, run: () => Promise<Response>) {
  const started = performance.now();
  const response = await run();
  const elapsed = Math.round(performance.now() - started);
  const text = await response.text();
  stats.cases++;
  stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
  stats.slowest = Math.max(stats.slowest, elapsed);
  if (response.status >= 500) stats.serverErrors++;
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(elapsed, `${label} took ${elapsed} ms`).toBeLessThan(MAX_MS);
  if (response.status >= 400) {
    const body = JSON.parse(text);
    expect(body.error, label).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  }
}

const FUZZ_ACTORS = ["anonymous", "studentA", "coachA"] as const;

describe("fuzz: every API route, as anonymous, student and coach", () => {
  for (const row of API_ROUTES) {
    it(row.name, async () => {
      const handler = await row.handler();
      for (const actor of FUZZ_ACTORS) {
        const arb = fc.record({ body: bodyArb(row.body?.(world)), query: queryArb(row), headers: headersArb });
        await fc.assert(
          fc.asyncProperty(arb, async ({ body, query, headers }) => {
            actAs(actor === "anonymous" ? null : world.users[actor]);
            const base = new URL(row.path(world), "http://localhost");
            const url = `${base.pathname}${query ? `?${query}` : ""}`;
            const hasBody = row.method !== "GET";
            const h: Record<string, string> = { ...(hasBody ? sign(row, body, headers.signature) : {}) };
            if (headers.contentType) h["content-type"] = headers.contentType;
            if (headers.origin) h.origin = headers.origin;
            if (headers.forwardedFor) h["x-forwarded-for"] = headers.forwardedFor;
            if (headers.requestId) h["x-request-id"] = headers.requestId;
            await check(`${row.method} ${url} as ${actor}`, () =>
              handler(new NextRequest(new URL(url, "http://localhost"), { method: row.method, headers: h, body: hasBody ? body : undefined }), { params: Promise.resolve(row.params?.(world) ?? {}) } as never),
            );
          }),
          { numRuns: FUZZ_RUNS, seed: SEED, endOnFailure: true },
        );
      }
    });
  }
});

describe("fuzz: next-auth routes (sign-in callback, session, csrf ...)", () => {
  it("never answers 5xx", async () => {
    const action = fc.constantFrom(["session"], ["csrf"], ["providers"], ["signin"], ["signout"], ["callback", "credentials"], ["signin", "credentials"], ["_log"], ["error"], ["callback", "nope"], ["x\u0000"]);
    const arb = fc.record({ action, method: fc.constantFrom("GET", "POST"), body: bodyArb({ email: "a@example.com", password: "pw", csrfToken: "x", json: "true" }), headers: headersArb, form: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(arb, async ({ action, method, body, headers, form }) => {
        const h: Record<string, string> = {};
        const contentType = form ? "application/x-www-form-urlencoded" : headers.contentType;
        if (contentType) h["content-type"] = contentType;
        if (headers.forwardedFor) h["x-forwarded-for"] = headers.forwardedFor;
        const payload = form ? new URLSearchParams({ email: body.slice(0, 50), password: body.slice(0, 20), json: "true" }).toString() : body;
        const req = new NextRequest(new URL(`/api/auth/${action.map(encodeURIComponent).join("/")}`, "http://localhost"), { method, headers: h, body: method === "POST" ? payload : undefined });
        useRequestHeaders(req.headers);
        const handler = method === "GET" ? authGet : authPost;
        const started = performance.now();
        const response = await handler(req, { params: Promise.resolve({ nextauth: [...action] }) });
        const elapsed = Math.round(performance.now() - started);
        stats.cases++;
        stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
        stats.slowest = Math.max(stats.slowest, elapsed);
        if (response.status >= 500) stats.serverErrors++;
        expect(response.status, `${method} /api/auth/${action.join("/")}: ${(await response.clone().text()).slice(0, 200)}`).toBeLessThan(500);
        expect(elapsed).toBeLessThan(MAX_MS);
      }),
      { numRuns: FUZZ_RUNS * 8, seed: SEED, endOnFailure: true },
    );
  });
});
