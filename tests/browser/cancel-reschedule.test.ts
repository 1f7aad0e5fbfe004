import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { hashPassword } from "@/lib/accounts/service";
import { createPrismaClient } from "@/lib/db/client";
import { launchBrowser, screenshot, signIn } from "../support/browser";

/** Issue #8 in the browser: cancel with the policy refund, reschedule to a dearer session, a coach's full refund. */
const baseUrl = inject("appUrl");
/** A student of this file's own: the demo student's bookings count against one hourly limit shared by every journey. */
const STUDENT = `resched-${Date.now()}@coachbook.test`;
const COACH = "maya.coach@coachbook.test";
const db = createPrismaClient(inject("browserDatabaseUrl"));
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await db.user.create({ data: { email: STUDENT, name: "Riley Resched", passwordHash: await hashPassword(DEMO_PASSWORD), role: "STUDENT", timeZone: "Europe/London" } });
  browser = await launchBrowser();
  const context = await browser.newContext({ timezoneId: "Europe/London", viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await db.$disconnect();
});

/** Signs in as someone else (cookies cleared first, so a failed journey never leaves a session behind). */
async function signInFresh(email: string) {
  await page.context().clearCookies();
  await signIn(page, baseUrl, email, DEMO_PASSWORD);
}

/** Clicks the n-th free slot shown (later ones, so the journeys do not compete for the same time). */
async function pickSlot(p: Page, nth: number): Promise<string> {
  for (let week = 0; week < 6; week++) {
    await p.waitForSelector("[data-testid=slot], [data-testid=no-slots]", { timeout: 20_000 });
    const slots = p.getByTestId("slot");
    const count = await slots.count();
    if (count > nth) {
      const slot = slots.nth(nth);
      const start = (await slot.getAttribute("data-start"))!;
      await slot.click();
      return start;
    }
    nth -= count;
    await p.getByTestId("next-week").click();
  }
  throw new Error("not enough free slots");
}

/**
 * Books Maya's Intro call (€25) at the n-th free slot through the API (the picker has its own tests) and pays on the
 * emulator's checkout page in the browser; returns the booking id once the page shows it confirmed.
 */
async function bookAndPay(p: Page, nth: number): Promise<string> {
  const offering = await db.offering.findFirstOrThrow({ where: { title: "Intro call", coach: { slug: "maya-lindqvist" } } });
  const query = new URLSearchParams({ coachId: offering.coachId, offeringId: offering.id, from: new Date().toISOString(), to: new Date(Date.now() + 21 * 86_400_000).toISOString(), timeZone: "Europe/London" });
  const slots = (await (await p.request.get(`${baseUrl}/api/calcom/available-slots?${query}`)).json()) as { slots: { start: string }[] };
  const created = await p.request.post(`${baseUrl}/api/calcom/create-booking`, { data: { offeringId: offering.id, start: slots.slots[nth].start, timeZone: "Europe/London" } });
  expect(created.status()).toBe(201);
  const { bookingId, checkoutUrl } = (await created.json()) as { bookingId: string; checkoutUrl: string };
  await p.goto(checkoutUrl);
  await p.waitForSelector("#pay", { timeout: 20_000 });
  await p.click("#pay");
  await p.waitForURL(/\/student\/bookings\/[^/?]+\?checkout=success/, { timeout: 20_000 });
  await p.getByTestId("booking-confirmed").waitFor({ timeout: 30_000 });
  return bookingId;
}

/** Reloads until the refund on the booking page has gone through (the refund job runs in the app's worker). */
async function waitForRefund(p: Page): Promise<string> {
  for (let i = 0; i < 30; i++) {
    await p.getByTestId("booking-status").waitFor();
    if ((await p.getByTestId("refunded").count()) && !(await p.getByTestId("refund-pending").count())) return (await p.getByTestId("refunded").textContent()) ?? "";
    await p.waitForTimeout(1000);
    await p.reload();
  }
  throw new Error("the refund did not succeed");
}

describe("cancel and reschedule", () => {
  it("a student cancels, sees the exact refund before committing, then sees it refunded", async () => {
    await signInFresh(STUDENT);
    const id = await bookAndPay(page, 6);
    await page.getByTestId("open-cancel").click();
    await page.getByTestId("cancel-preview").waitFor();
    expect(await page.getByTestId("policy").textContent()).toContain("If the coach cancels, the refund is always 100%.");
    const preview = (await page.getByTestId("cancel-preview").textContent())!;
    const amount = /€\d+\.\d{2}/.exec(preview)![0];
    await screenshot(page, "cancel-dialog");
    await page.getByTestId("confirm-cancel").click();
    expect(await page.getByTestId("cancel-outcome").textContent()).toContain(amount);
    await page.goto(`${baseUrl}/student/bookings/${id}`);
    expect(await page.getByTestId("booking-status").getAttribute("data-status")).toBe("CANCELLED");
    expect(await waitForRefund(page)).toContain(amount);
    await screenshot(page, "cancelled-refunded");
  });

  it("a student moves to a dearer session, pays the difference on the checkout page and sees the new time", async () => {
    await signInFresh(STUDENT);
    // Far enough ahead to be outside the 12-hour reschedule cut-off.
    const id = await bookAndPay(page, 40);
    await page.getByTestId("open-reschedule").click();
    const dialog = page.getByTestId("reschedule-dialog");
    const leadership = await dialog.locator("option", { hasText: "Leadership session" }).getAttribute("value");
    await dialog.getByTestId("reschedule-offering").selectOption(leadership!);
    const newStart = await pickSlot(page, 12);
    await page.waitForSelector("[data-testid=reschedule-preview], [data-testid=reschedule-error]");
    const refusal = page.getByTestId("reschedule-error");
    if (await refusal.count()) throw new Error(`the move was refused: ${await refusal.textContent()}`);
    // €90 − €25: the difference, from the server's dry run.
    expect(await page.getByTestId("difference").textContent()).toBe("€65.00");
    await screenshot(page, "reschedule-dialog");
    await page.getByTestId("confirm-reschedule").click();
    await page.waitForSelector("#pay", { timeout: 20_000 });
    expect(await page.textContent("body")).toContain("65.00");
    await page.click("#pay");
    await page.waitForURL(/\/student\/bookings\/[^/?]+\?checkout=success/, { timeout: 20_000 });
    await page.getByTestId("booking-confirmed").waitFor({ timeout: 30_000 });
    const newId = new URL(page.url()).pathname.split("/").pop()!;
    expect(newId).not.toBe(id);
    await page.reload();
    await page.getByTestId("moved-from").waitFor();
    expect(await page.textContent("h1")).toContain("Leadership session");
    const londonTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit" }).format(new Date(newStart));
    expect(await page.textContent("main")).toContain(londonTime);
    expect(await page.getByTestId("moved-from").count()).toBe(1);
    await screenshot(page, "rescheduled-dearer");
    await page.goto(`${baseUrl}/student/bookings/${id}`);
    await page.getByTestId("moved-to").waitFor();
    expect(await page.getByTestId("booking-status").getAttribute("data-status")).toBe("RESCHEDULED");
  });

  it("a coach cancels and the student's page shows the full refund", async () => {
    await signInFresh(STUDENT);
    const id = await bookAndPay(page, 15);
    await signInFresh(COACH);
    await page.goto(`${baseUrl}/coach/bookings/${id}`);
    await page.getByTestId("coach-booking-actions").getByTestId("open-cancel").click();
    await page.getByTestId("cancel-preview").waitFor();
    expect(await page.getByTestId("cancel-preview").textContent()).toContain("€25.00");
    await page.getByTestId("cancel-reason").fill("I am ill, sorry");
    await page.getByTestId("confirm-cancel").click();
    expect(await page.getByTestId("cancel-outcome").textContent()).toContain("€25.00");
    await screenshot(page, "coach-cancelled");
    await signInFresh(STUDENT);
    await page.goto(`${baseUrl}/student/bookings/${id}`);
    expect(await page.getByTestId("booking-status").getAttribute("data-status")).toBe("CANCELLED");
    expect(await waitForRefund(page)).toContain("€25.00");
    expect(await page.textContent("main")).toContain("I am ill, sorry");
    await screenshot(page, "student-sees-coach-refund");
  });
});
