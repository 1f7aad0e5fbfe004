import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { checkPageAtEachWidth, launchBrowser, signIn } from "../support/browser";

const baseUrl = inject("appUrl");
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ timezoneId: "America/New_York", viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await signIn(page, baseUrl, "james.coach@coachbook.test", DEMO_PASSWORD);
});
afterAll(async () => {
  await browser?.close();
});

describe("Sync with Cal.com in the browser", () => {
  it("edits availability and an offering, clicks Sync, sees Synced, and students then get slots from Cal.com", async () => {
    await page.goto(`${baseUrl}/coach/availability`);
    await page.getByTestId("calcom-sync-panel").waitFor();
    expect(await page.getByTestId("calcom-sync-status").textContent()).toMatch(/Not connected|Never synced/);
    await page.fill("#bufferAfter", "20");
    await page.getByRole("button", { name: "Save availability" }).click();
    await page.getByTestId("save-status").getByText("Saved").waitFor();

    await page.goto(`${baseUrl}/coach/offerings`);
    await page.fill("#new-title", "Salary review");
    await page.fill("#new-durationMinutes", "30");
    await page.selectOption("#new-currency", "usd");
    await page.fill("#new-price", "60");
    await page.getByRole("button", { name: "Create offering" }).click();
    await page.locator('[data-testid=offering-row][data-title="Salary review"]').waitFor();

    await page.goto(`${baseUrl}/coach/availability`);
    await page.getByTestId("calcom-sync-button").click();
    await page.getByTestId("calcom-sync-status").getByText(/^Synced/).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("calcom-sync-error").count()).toBe(0);
    await checkPageAtEachWidth(page, "coach-calcom-synced");

    // Students now get this coach's slots from Cal.com.
    const coachPage = await (await page.request.get(`${baseUrl}/coaches/james-carter`)).text();
    const match = /data-coach-id="([^"]+)"[\s\S]*?book\?offering=([^"&]+)/.exec(coachPage);
    expect(match).not.toBeNull();
    const from = new Date(Date.now() + 2 * 86_400_000);
    const to = new Date(from.getTime() + 7 * 86_400_000);
    const slots = await (await page.request.get(`${baseUrl}/api/calcom/available-slots?coachId=${match![1]}&offeringId=${match![2]}&from=${from.toISOString()}&to=${to.toISOString()}&timeZone=Europe/Paris`)).json();
    expect(slots.source).toBe("calcom");
    expect(slots.slots.length).toBeGreaterThan(0);

    // A second sync with nothing changed still ends "Synced".
    await page.getByTestId("calcom-sync-button").click();
    await page.getByTestId("calcom-sync-status").getByText(/^Synced/).waitFor({ timeout: 30_000 });
  });
});
