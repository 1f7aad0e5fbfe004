import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { checkPage, fillSignIn, launchBrowser, newViewportContext, screenshot, signIn, signOut, VIEWPORTS, pickFirstSlot } from "../support/browser";

const baseUrl = inject("appUrl");
const stripeUrl = inject("integrationUrls").stripe;
const SAM = "sam.student@coachbook.test";
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the first day with free times (the picker does) and picks its first slot, moving on a week when empty. */
async function openIntroCallPicker(p: Page) {
  await p.goto(`${baseUrl}/coaches/maya-lindqvist`);
  await p.locator("li", { hasText: "Intro call" }).getByRole("link", { name: /Book/ }).click();
  await p.waitForURL(/\/coaches\/maya-lindqvist\/book\?offering=/);
}

/** "Continue to payment" is on screen without scrolling (the review bar sticks to the bottom on phones). */
async function expectContinueInViewport(p: Page) {
  const box = await p.getByTestId("continue-to-payment").boundingBox();
  const height = p.viewportSize()!.height;
  expect(box).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(height);
}

describe.each(VIEWPORTS)("a student books and pays ($name, $width px)", (viewport) => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newViewportContext(browser, viewport, "Asia/Tokyo");
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it("a visitor sees the slots, signs in only at Continue to payment, comes back to the slot, pays; the coach sees the booking's details", async () => {
    await openIntroCallPicker(page);
    // The browser's zone, shown and changeable on the picker.
    await expect.poll(() => page.getByTestId("picker-zone").inputValue()).toBe("Asia/Tokyo");
    await checkPage(page, "picker-visitor");
    const start = await pickFirstSlot(page);
    expect(start).toMatch(/Z$/);
    expect(await page.getByTestId("review-price").textContent()).toBe("€25.00");
    const tokyoTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" }).format(new Date(start));
    expect(await page.getByTestId("review-time").textContent()).toContain(tokyoTime);
    await expectContinueInViewport(page);
    await checkPage(page, "picker-visitor-slot-chosen");

    await page.getByTestId("continue-to-payment").click();
    await page.waitForURL(/\/signin\?callbackUrl=/);
    await checkPage(page, "signin-from-picker");
    await fillSignIn(page, SAM, DEMO_PASSWORD);
    // Back on the picker with the same slot chosen and the zone kept; the profile's zone is offered.
    await page.waitForURL(/\/coaches\/maya-lindqvist\/book\?/);
    await expect.poll(() => page.locator(`[data-testid=slot][data-start="${start}"]`).getAttribute("aria-pressed"), { timeout: 20_000 }).toBe("true");
    expect(await page.getByTestId("picker-zone").inputValue()).toBe("Asia/Tokyo");
    expect(await page.getByTestId("zone-differs").textContent()).toContain("Europe/London");
    await expectContinueInViewport(page);
    await checkPage(page, "picker-student-returned");

    await page.getByTestId("continue-to-payment").click();
    await page.waitForSelector("#pay", { timeout: 20_000 });
    // The Checkout line item names the coach, the date and time, and the zone.
    const lineItem = await page.locator("#line-items .name").textContent();
    expect(lineItem).toContain("Intro call with Maya Lindqvist");
    expect(lineItem).toContain(tokyoTime);
    expect(lineItem).toContain("(Asia/Tokyo)");
    await screenshot(page, `stripe-emulator-checkout-${viewport.width}`);
    await page.click("#pay");
    await page.waitForURL(/\/student\/bookings\/[^/?]+\?checkout=success/, { timeout: 20_000 });
    await page.getByTestId("booking-confirmed").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("booking-status").getAttribute("data-status")).toBe("CONFIRMED");
    await checkPage(page, "student-booking-confirmed");
    const bookingId = new URL(page.url()).pathname.split("/").pop()!;

    await page.goto(`${baseUrl}/student/bookings`);
    expect(await page.getByTestId("booking-list").first().textContent()).toContain("Intro call");
    await checkPage(page, "student-bookings");

    await signOut(page);
    await signIn(page, baseUrl, "maya.coach@coachbook.test", DEMO_PASSWORD);
    await page.goto(`${baseUrl}/coach/bookings`);
    const list = page.getByTestId("booking-list").first();
    expect(await list.textContent()).toContain("Sam Student");
    await checkPage(page, "coach-bookings");
    await page.locator(`[data-testid=booking-link][href="/coach/bookings/${bookingId}"]`).click();
    await page.waitForURL(new RegExp(`/coach/bookings/${bookingId}$`));
    expect(await page.getByTestId("student-name").textContent()).toBe("Sam Student");
    expect(await page.getByTestId("student-email").textContent()).toBe(SAM);
    const berlinTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" }).format(new Date(start));
    expect(await page.getByTestId("time-coach").textContent()).toContain(berlinTime);
    expect(await page.locator("dt", { hasText: "Student's time (Asia/Tokyo)" }).count()).toBe(1);
    expect(await page.getByTestId("time-student").textContent()).toContain(tokyoTime);
    expect(await page.getByTestId("payment-state").getAttribute("data-state")).toBe("PAID");
    expect(await page.getByTestId("calcom-state").textContent()).toBeTruthy();
    await page.getByTestId("coach-booking-actions").waitFor();
    await checkPage(page, "coach-booking-detail");
    await signOut(page);
  });

  it("back from Checkout the hold is resumed, not doubled; a declined card says so and offers to try again; the hold counts down in a named zone", async () => {
    await signIn(page, baseUrl, SAM, DEMO_PASSWORD);
    await openIntroCallPicker(page);
    const start = await pickFirstSlot(page);
    await page.getByTestId("continue-to-payment").click();
    await page.waitForSelector("#pay", { timeout: 20_000 });
    const firstCheckout = page.url();

    // Back to the picker: the live hold is offered, and picking the same slot again returns the same Checkout.
    await openIntroCallPicker(page);
    await page.getByTestId("live-holds").waitFor();
    expect(await page.getByTestId("picker-resume-payment").getAttribute("href")).toBe(firstCheckout);
    await checkPage(page, "picker-live-hold");
    const response = await page.request.post(`${baseUrl}/api/calcom/create-booking`, {
      data: { offeringId: new URL(page.url()).searchParams.get("offering"), start, timeZone: "Asia/Tokyo" },
      headers: { origin: baseUrl },
    });
    expect(response.status()).toBe(201);
    expect((await response.json()).checkoutUrl).toBe(firstCheckout);

    // A declined card, then "back": the page says it was declined and offers to try again.
    await fetch(`${stripeUrl}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ declineNextPayment: true }) });
    await page.goto(firstCheckout);
    await page.click("#pay");
    await page.locator("#error").waitFor();
    await page.click("#cancel");
    await page.waitForURL(/\?checkout=cancelled/);
    expect(await page.getByTestId("payment-declined").textContent()).toContain("declined");
    expect(await page.getByTestId("resume-payment").textContent()).toBe("Try again with another card");
    expect(await page.getByTestId("hold-countdown").textContent()).toMatch(/held until \d\d:\d\d \(Europe\/London\)/);
    const before = await page.getByTestId("hold-left").textContent();
    await expect.poll(() => page.getByTestId("hold-left").textContent(), { timeout: 5000 }).not.toBe(before);
    await checkPage(page, "student-booking-declined");

    // The list offers the same Checkout.
    await page.goto(`${baseUrl}/student/bookings`);
    expect(await page.getByTestId("list-resume-payment").first().getAttribute("href")).toBe(firstCheckout);
    await checkPage(page, "student-bookings-live-hold");
    await page.getByTestId("list-resume-payment").first().click();
    await page.click("#pay");
    await page.getByTestId("booking-confirmed").waitFor({ timeout: 30_000 });
    await signOut(page);
  });

  it("books with the keyboard alone: day and slot buttons are reachable and announced", async () => {
    await signIn(page, baseUrl, SAM, DEMO_PASSWORD);
    await openIntroCallPicker(page);
    await page.waitForSelector("[data-testid=slot]", { timeout: 20_000 });
    await page.getByTestId("picker-zone").focus();
    let name = "";
    for (let i = 0; i < 60 && !name; i++) {
      await page.keyboard.press("Tab");
      name = await page.evaluate(() => (document.activeElement?.getAttribute("data-testid") === "slot" ? (document.activeElement.getAttribute("aria-label") ?? "") : ""));
    }
    // Announced with its time and its day, not just "09:00".
    expect(name).toMatch(/^\d\d:\d\d, \w+day,? \d+ \w+$/);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-pressed"))).toBe("true");
    let onContinue = false;
    for (let i = 0; i < 40 && !onContinue; i++) {
      await page.keyboard.press("Tab");
      onContinue = await page.evaluate(() => document.activeElement?.getAttribute("data-testid") === "continue-to-payment");
    }
    expect(onContinue).toBe(true);
    await checkPage(page, "picker-keyboard");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#pay", { timeout: 20_000 });
    await page.click("#pay");
    await page.getByTestId("booking-confirmed").waitFor({ timeout: 30_000 });
    await signOut(page);
  });
});
