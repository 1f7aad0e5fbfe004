import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { launchBrowser, screenshot, signIn, signOut } from "../support/browser";

const baseUrl = inject("appUrl");
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ timezoneId: "Asia/Tokyo", viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

async function pickFirstSlot(p: Page) {
  for (let week = 0; week < 4; week++) {
    await p.waitForSelector("[data-testid=slot], [data-testid=no-slots]", { timeout: 20_000 });
    const slot = p.getByTestId("slot").first();
    if (await slot.count()) {
      await slot.click();
      return slot.getAttribute("data-start");
    }
    await p.getByTestId("next-week").click();
  }
  throw new Error("no free slot in four weeks");
}

describe("a student books and pays", () => {
  it("picks a slot in their own zone, pays on the checkout page and sees the booking confirmed; the coach sees it too", async () => {
    await signIn(page, baseUrl, "sam.student@coachbook.test", DEMO_PASSWORD);
    await page.goto(`${baseUrl}/coaches/maya-lindqvist`);
    await page.locator("li", { hasText: "Intro call" }).getByRole("link", { name: "Book" }).click();
    await page.waitForURL(/\/student\/bookings\/new/);
    // The student's profile zone, not the browser's, and not the coach's.
    await page.getByText("times shown in your time zone (Europe/London)").waitFor();
    const start = await pickFirstSlot(page);
    expect(start).toMatch(/Z$/);
    expect(await page.getByTestId("review-price").textContent()).toBe("€25.00");
    const londonTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit" }).format(new Date(start!));
    expect(await page.getByTestId("review-time").textContent()).toContain(londonTime);
    await screenshot(page, "student-slot-picker");

    await page.getByTestId("continue-to-payment").click();
    await page.waitForSelector("#pay", { timeout: 20_000 });
    await screenshot(page, "stripe-emulator-checkout");
    await page.click("#pay");
    await page.waitForURL(/\/student\/bookings\/[^/?]+\?checkout=success/, { timeout: 20_000 });
    await page.getByTestId("booking-confirmed").waitFor({ timeout: 30_000 });
    // The badge and the message agree.
    expect(await page.getByTestId("booking-status").getAttribute("data-status")).toBe("CONFIRMED");
    await screenshot(page, "student-booking-confirmed");

    await page.goto(`${baseUrl}/student/bookings`);
    expect(await page.getByTestId("booking-list").first().textContent()).toContain("Intro call");
    expect(await page.getByTestId("booking-status").first().getAttribute("data-status")).toBe("CONFIRMED");
    await screenshot(page, "student-bookings");

    await signOut(page);
    await signIn(page, baseUrl, "maya.coach@coachbook.test", DEMO_PASSWORD);
    await page.goto(`${baseUrl}/coach/bookings`);
    const list = page.getByTestId("booking-list").first();
    expect(await list.textContent()).toContain("Sam Student");
    expect(await list.getByTestId("booking-status").first().getAttribute("data-status")).toBe("CONFIRMED");
    await screenshot(page, "coach-bookings");
  });
});
