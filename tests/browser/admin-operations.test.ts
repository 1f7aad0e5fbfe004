import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db/client";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { checkPage, launchBrowser, newViewportContext, signIn, VIEWPORTS } from "../support/browser";

/** The operator's page: a dead job with a retry button and an open finding, at both widths, axe-clean. */
const baseUrl = inject("appUrl");
let browser: Browser;
let db: Db;

beforeAll(async () => {
  browser = await launchBrowser();
  db = createPrismaClient(inject("browserDatabaseUrl"));
});
afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
});

describe.each(VIEWPORTS)("/admin/operations ($name)", (viewport) => {
  it("shows a dead job and a finding, and retries the job", async () => {
    const key = `browser-dead-${viewport.name}`;
    await db.$executeRaw`
      INSERT INTO jobs (id, kind, payload, dedupe_key, status, attempts, max_attempts, run_at, last_error, cause, finished_at, created_at, updated_at)
      VALUES (${key}, 'calcom.confirm', '{"bookingId":"gone"}'::jsonb, ${key}, 'DEAD', 10, 10, now(), 'Cal.com answered 503 ten times', 'payment confirmed', now(), now(), now())`;
    await db.opsFinding.create({ data: { kind: "refund-failed", subject: `browser-${viewport.name}`, detail: "A refund did not go through (expired_or_canceled_card)." } });
    const context = await newViewportContext(browser, viewport, "UTC");
    const page = await context.newPage();
    try {
      await signIn(page, baseUrl, "ops.admin@coachbook.test", DEMO_PASSWORD);
      await page.goto(`${baseUrl}/admin/operations`);
      await expect.poll(() => page.getByTestId("ops-jobs").textContent()).toContain("Cal.com answered 503 ten times");
      expect(await page.getByTestId("ops-findings").textContent()).toContain("expired_or_canceled_card");
      await checkPage(page, `admin-operations-${viewport.name}`);
      const job = page.getByTestId("ops-jobs").locator("li", { hasText: "Cal.com answered 503 ten times" });
      await job.getByRole("button", { name: "Retry" }).click();
      await expect.poll(async () => (await db.job.findUniqueOrThrow({ where: { id: key } })).status).toBe("PENDING");
    } finally {
      await context.close();
    }
  });
});

describe("/admin/operations for others", () => {
  it("sends a student to the forbidden page", async () => {
    const context = await newViewportContext(browser, VIEWPORTS[0], "UTC");
    const page = await context.newPage();
    try {
      await signIn(page, baseUrl, "sam.student@coachbook.test", DEMO_PASSWORD);
      await page.goto(`${baseUrl}/admin/operations`);
      expect(new URL(page.url()).pathname).toBe("/forbidden");
    } finally {
      await context.close();
    }
  });
});
