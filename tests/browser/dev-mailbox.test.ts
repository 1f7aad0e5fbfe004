import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "@/lib/accounts/service";
import { createPrismaClient } from "@/lib/db/client";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { launchBrowser, screenshot, signIn, pickFirstSlot } from "../support/browser";

/** A student books and pays; the confirmation mail (with its invite) shows up in /dev/mail. */
const baseUrl = inject("appUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** A student of this journey's own: the demo student's holds from other journeys count against the 2-hold cap. */
const STUDENT = `mailbox-${Date.now()}@coachbook.test`;

beforeAll(async () => {
  const db = createPrismaClient(inject("browserDatabaseUrl"));
  await db.user.create({ data: { email: STUDENT, name: "Morgan Mailbox", passwordHash: await hashPassword(DEMO_PASSWORD), role: "STUDENT", timeZone: "Europe/London" } });
  await db.$disconnect();
  browser = await launchBrowser();
  context = await browser.newContext({ timezoneId: "America/Los_Angeles", viewport: { width: 390, height: 844 } });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe("dev mailbox", () => {
  it("shows the booking confirmation with the time in the student's zone and a REQUEST invite", async () => {
    await signIn(page, baseUrl, STUDENT, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/coaches/james-carter`);
    await page.locator("li", { hasText: "Mock interview" }).getByRole("link", { name: /Book/ }).click();
    await page.waitForURL(/\/coaches\/james-carter\/book\?offering=/);
    const start = await pickFirstSlot(page);
    await page.getByTestId("continue-to-payment").click();
    await page.waitForSelector("#pay", { timeout: 20_000 });
    await page.click("#pay");
    await page.waitForURL(/\/student\/bookings\/[^/?]+\?checkout=success/, { timeout: 20_000 });
    await page.getByTestId("booking-confirmed").waitFor({ timeout: 30_000 });
    const bookingPath = new URL(page.url()).pathname;
    const bookingId = bookingPath.split("/").pop()!;

    // "Add to calendar" appears once the page is rendered as confirmed; the .ics is the same event as the mail's.
    await page.reload();
    await page.getByTestId("add-to-calendar").waitFor();
    const icsHref = await page.getByTestId("add-to-calendar").getByText("Download .ics").getAttribute("href");
    const ics = await (await context.request.get(`${baseUrl}${icsHref}`)).text();
    expect(ics).toContain(`UID:${bookingId}@coachbook`);
    expect(await page.getByTestId("add-to-calendar").getByText("Google Calendar").getAttribute("href")).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE/);

    // The worker sends the mail a moment after the confirmation. Other journeys' mails share this mailbox: open the
    // confirmations of this offering until the one for this booking (its link names the booking).
    const items = page.getByTestId("mail-item").filter({ hasText: "Booking confirmed: Mock interview" }).filter({ hasText: STUDENT });
    for (let i = 0; i < 40 && (await items.count()) === 0; i++) {
      await page.goto(`${baseUrl}/dev/mail`);
      if ((await items.count()) === 0) await page.waitForTimeout(500);
    }
    await screenshot(page, "dev-mailbox");
    let text = "";
    for (let i = 0; i < (await items.count()) && !text.includes(bookingPath); i++) {
      const item = items.nth(i);
      expect(await item.getByTestId("mail-to").textContent()).toBe(STUDENT);
      await item.locator("a").click();
      await page.getByTestId("mail-text").waitFor();
      text = (await page.getByTestId("mail-text").textContent())!;
      if (!text.includes(bookingPath)) await page.goto(`${baseUrl}/dev/mail`);
    }
    // The picker books in the browser's zone (this context: Los Angeles), and the mail speaks the booking's zone.
    const local = new Intl.DateTimeFormat("en-GB", { timeZone: "America/Los_Angeles", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(start!));
    expect(text).toMatch(new RegExp(`When: .*${local}–.*\\(America/Los_Angeles, (PST|PDT)\\)`));
    expect(text).toContain(`${bookingPath}`);
    expect(await page.getByTestId("mail-attachment").filter({ hasText: "invite.ics" }).first().getAttribute("data-method")).toBe("REQUEST");
    const href = await page.getByTestId("mail-attachment").filter({ hasText: "invite.ics" }).first().getAttribute("href");
    const mailed = await (await context.request.get(`${baseUrl}${href}`)).text();
    expect(mailed).toContain(`UID:${bookingId}@coachbook`);
    expect(mailed).toMatch(/^METHOD:REQUEST/m);
    await screenshot(page, "dev-mailbox-message");
  });
});
