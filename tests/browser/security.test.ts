import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { launchBrowser, signIn } from "../support/browser";

/** The built app (next start): real headers, the nonce CSP in Chromium, 404 pages with HTTP 404. */
const baseUrl = inject("appUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
const violations: string[] = [];

/** Runs `work` against the app's database with a client of its own, closed afterwards. */
async function withAppDb<T>(work: (db: ReturnType<typeof createPrismaClient>) => Promise<T>): Promise<T> {
  const db = createPrismaClient(inject("browserDatabaseUrl"));
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext();
  page = await context.newPage();
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(message.text())) violations.push(message.text());
  });
});
afterAll(async () => {
  await browser?.close();
});

const REQUIRED = ["x-frame-options", "x-content-type-options", "referrer-policy", "permissions-policy", "x-request-id"];

describe("security headers and not-found pages over HTTP", () => {
  it("pages carry a nonce CSP that Next's own scripts satisfy (the page hydrates without CSP errors)", async () => {
    const response = await page.goto(`${baseUrl}/signin`);
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    for (const name of REQUIRED.filter((n) => n !== "x-request-id")) expect(headers[name], name).toBeTruthy();
    const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"])![1];
    expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
    // Hydrated: the client-side validation answers without a round trip.
    await page.click("button[type=submit]");
    await expect.poll(() => page.locator("#email-error").textContent()).toContain("Enter your email");
    expect(nonce.length).toBeGreaterThan(10);
    expect(violations).toEqual([]);
  });

  it("the cached public pages: a CSP without nonce that Next's scripts satisfy, served from the page cache, the header filled in by the browser", async () => {
    const coach = "/coaches/maya-lindqvist";
    for (const path of ["/", coach]) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response!.status(), path).toBe(200);
      const csp = response!.headers()["content-security-policy"];
      expect(csp, path).toMatch(/script-src 'self' 'unsafe-inline'(;|$)/);
      expect(csp, path).not.toContain("nonce-");
      expect(csp, path).toContain("frame-ancestors 'none'");
      // Hydrated (the header's account part comes from /api/me after hydration).
      await page.getByRole("link", { name: "Sign up" }).first().waitFor();
      // The second answer comes from Next's page cache.
      const again = await fetch(`${baseUrl}${path}`);
      expect(again.headers.get("x-nextjs-cache"), path).toMatch(/HIT|STALE/);
      // Cached on the server only: browsers and CDNs must ask each time (Next's own ISR header carries a year of
      // stale-while-revalidate, which Chrome honoured with stale pages and a background request hanging ~30 s).
      expect(again.headers.get("cache-control"), path).toBe("public, no-cache");
      // Asking again is cheap: the page cache answers, with an ETag for conditional requests.
      expect(again.headers.get("etag"), path).toBeTruthy();
      // The title is in the head, not streamed in later (htmlLimitedBots in next.config.ts).
      const html = await again.text();
      expect(html.indexOf("<title>"), path).toBeGreaterThan(-1);
      expect(html.indexOf("<title>"), path).toBeLessThan(html.indexOf("</head>"));
    }
    await signIn(page, baseUrl, "sam.student@coachbook.test", DEMO_PASSWORD);
    await page.goto(`${baseUrl}${coach}`);
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toContain("STUDENT");
    expect(await page.getByRole("link", { name: "My bookings" }).count()).toBeGreaterThan(0);
    // The cached HTML itself names no one.
    expect(await (await fetch(`${baseUrl}${coach}`)).text()).not.toContain("signed-in-as");
    await page.getByRole("button", { name: "Sign out" }).first().click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("link", { name: "Sign up" }).first().waitFor();
    expect(violations).toEqual([]);
  });

  it("API answers carry the headers, a deny-all CSP and X-Request-Id", async () => {
    const response = await fetch(`${baseUrl}/api/calcom/available-slots`);
    expect(response.status).toBe(400);
    for (const name of REQUIRED) expect(response.headers.get(name), name).toBeTruthy();
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    // An error is never cached, not even on the one public, cacheable route.
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("the public slot answer keeps its own short public caching and ETag through the built app; other API answers are no-store", async () => {
    // (next.config.ts headers win over a route's own: the slot route must be left out of the API-wide no-store.)
    const offering = await withAppDb((db) => db.offering.findFirstOrThrow({ where: { active: true } }));
    const query = new URLSearchParams({ coachId: offering.coachId, offeringId: offering.id, from: new Date(Date.now() + 86_400_000).toISOString(), to: new Date(Date.now() + 8 * 86_400_000).toISOString(), timeZone: "UTC" });
    const slots = await fetch(`${baseUrl}/api/calcom/available-slots?${query}`);
    expect(slots.status).toBe(200);
    expect(slots.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    const etag = slots.headers.get("etag");
    expect(etag).toBeTruthy();
    expect((await fetch(`${baseUrl}/api/calcom/available-slots?${query}`, { headers: { "if-none-match": etag! } })).status).toBe(304);
    const me = await fetch(`${baseUrl}/api/me`);
    expect(me.status).toBe(200);
    expect(me.headers.get("cache-control")).toBe("no-store");
  });

  it("an unknown booking, someone else's booking id and an unknown coach are the not-found page with HTTP 404", async () => {
    // A booking of another student (made directly in the app's database).
    const foreign = await withAppDb(async (db) => {
      const offering = await db.offering.findFirstOrThrow({ where: { active: true } });
      const other = await db.user.create({ data: { email: `other.${Date.now()}@example.com`, name: "Other Student", passwordHash: "x", role: "STUDENT", timeZone: "UTC" } });
      const startsAt = new Date(Date.UTC(2031, 0, 7, 10));
      const endsAt = new Date(startsAt.getTime() + offering.durationMinutes * 60_000);
      return (await db.booking.create({
        data: { coachId: offering.coachId, studentId: other.id, offeringId: offering.id, status: "CONFIRMED", startsAt, endsAt, blockedFrom: startsAt, blockedUntil: endsAt, studentTimeZone: "UTC", title: offering.title, priceMinor: offering.priceMinor, currency: offering.currency, policy: {} },
      })).id;
    });
    await signIn(page, baseUrl, "sam.student@coachbook.test", DEMO_PASSWORD);
    for (const path of [`/student/bookings/${foreign}`, "/student/bookings/no-such-booking", "/student/bookings/%00", "/coaches/no-such-coach"]) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response!.status(), path).toBe(404);
      // The status comes first; the not-found body may still be streaming in: wait for it, do not just peek.
      await page.getByTestId("not-found").waitFor({ state: "visible", timeout: 15_000 });
    }
    expect(violations).toEqual([]);
  });
});
