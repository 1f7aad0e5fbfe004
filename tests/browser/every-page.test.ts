import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db/client";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { checkPage, fillSignIn, launchBrowser, newViewportContext, openMenuIfCollapsed, signIn, signOut, VIEWPORTS } from "../support/browser";

/**
 * Every page at both widths: no sideways scrolling, no serious/critical axe violation, a screenshot of each
 * state; plus the header menu, the profile page, sign-up from the picker, the coach's booking detail (and its
 * 404 for another coach) and the unsaved-changes warning on the availability page.
 */
const baseUrl = inject("appUrl");
let browser: Browser;
let db: Db;

/** A cancelled booking far ahead (it blocks no slot) of this coach with Sam, so detail pages exist whatever ran before. */
async function cancelledBooking(coachEmail: string, daysAhead: number) {
  const coach = await db.coachProfile.findFirstOrThrow({ where: { user: { email: coachEmail } }, include: { offerings: true } });
  const student = await db.user.findUniqueOrThrow({ where: { email: "sam.student@coachbook.test" } });
  const offering = coach.offerings[0];
  const startsAt = new Date(Date.UTC(2031, 0, daysAhead, 10));
  const endsAt = new Date(startsAt.getTime() + offering.durationMinutes * 60_000);
  return db.booking.create({
    data: {
      coachId: coach.id, studentId: student.id, offeringId: offering.id, status: "CANCELLED", startsAt, endsAt, blockedFrom: startsAt, blockedUntil: endsAt,
      studentTimeZone: "Europe/London", title: offering.title, priceMinor: offering.priceMinor, currency: offering.currency, policy: {}, cancelledAt: new Date(), cancelReason: "Cancelled by the browser test.",
    },
  });
}

let mayaBooking: { id: string };
let jamesBooking: { id: string };

beforeAll(async () => {
  browser = await launchBrowser();
  db = createPrismaClient(inject("browserDatabaseUrl"));
  mayaBooking = await cancelledBooking("maya.coach@coachbook.test", 10);
  jamesBooking = await cancelledBooking("james.coach@coachbook.test", 11);
});
afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
});

async function visit(page: Page, path: string, name: string) {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForLoadState("networkidle");
  await checkPage(page, name);
}

describe.each(VIEWPORTS)("every page ($name, $width px)", (viewport) => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newViewportContext(browser, viewport, "America/Los_Angeles");
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });
  // Each journey starts signed out, whatever the one before left behind.
  beforeEach(async () => {
    await context.clearCookies();
  });

  it("visitor pages, and the header menu on a phone", async () => {
    await visit(page, "/", "landing");
    if (viewport.name === "mobile") {
      expect(await page.getByTestId("desktop-nav").isVisible()).toBe(false);
      await openMenuIfCollapsed(page);
      await page.getByRole("link", { name: "Sign up" }).waitFor();
      await checkPage(page, "landing-menu-open");
      await page.getByRole("link", { name: "Coaches" }).click();
      await expect.poll(() => page.getByTestId("mobile-menu").evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    } else {
      expect(await page.getByTestId("mobile-menu").isVisible()).toBe(false);
    }
    await visit(page, "/coaches/maya-lindqvist", "coach-public-page");
    await visit(page, "/coaches/james-carter", "coach-public-page-james");
    await visit(page, "/signin", "signin");
    await visit(page, "/signup", "signup");
    await page.click("button[type=submit]");
    await page.locator("#email-error").waitFor();
    await checkPage(page, "signup-errors");
    const response = await page.goto(`${baseUrl}/coaches/no-such-coach`);
    expect(response?.status()).toBe(404);
    await checkPage(page, "not-found");
  });

  it("a visitor signs up at Continue to payment and comes back to the chosen slot; the profile changes name, zone and password", async () => {
    await page.goto(`${baseUrl}/coaches/maya-lindqvist`);
    await page.locator("li", { hasText: "Leadership session" }).getByRole("link", { name: /Book/ }).click();
    await page.waitForSelector("[data-testid=slot], [data-testid=no-slots]", { timeout: 20_000 });
    const slot = page.getByTestId("slot").first();
    const start = await slot.getAttribute("data-start");
    await slot.click();
    await page.getByTestId("sign-in-hint").getByRole("link", { name: "create an account" }).click();
    await page.waitForURL(/\/signup\?callbackUrl=/);
    const email = `new.student.${viewport.width}.${Date.now()}@example.com`;
    await page.check("input[name=role][value=STUDENT]");
    await page.fill("#name", "Noa Newcomer");
    await page.fill("#email", email);
    await page.fill("#password", "first-password");
    await Promise.all([page.waitForURL(/\/coaches\/maya-lindqvist\/book\?/, { timeout: 20_000 }), page.click("button[type=submit]")]);
    await expect.poll(() => page.locator(`[data-testid=slot][data-start="${start}"]`).getAttribute("aria-pressed"), { timeout: 20_000 }).toBe("true");

    // Show the times in another zone and save it to the profile from the picker.
    await page.selectOption("[data-testid=picker-zone]", "Asia/Tokyo");
    await page.getByTestId("zone-differs").waitFor();
    await page.getByTestId("save-zone").click();
    await page.getByTestId("zone-saved").getByText("Asia/Tokyo").waitFor();
    await checkPage(page, "picker-zone-saved");
    expect((await db.user.findUniqueOrThrow({ where: { email } })).timeZone).toBe("Asia/Tokyo");

    await visit(page, "/profile", "profile");
    expect(await page.inputValue("#timeZone")).toBe("Asia/Tokyo");
    await page.fill("#name", "Noa Renamed");
    await page.selectOption("#timeZone", "Europe/Paris");
    await page.fill("#currentPassword", "not-my-password");
    await page.fill("#newPassword", "second-password");
    await page.click("button[type=submit]");
    await page.locator("#currentPassword-error").getByText("not right").waitFor();
    await checkPage(page, "profile-wrong-password");
    await page.fill("#currentPassword", "first-password");
    await page.click("button[type=submit]");
    await page.getByTestId("profile-message").getByText("password has been changed").waitFor();
    await page.reload();
    expect(await page.inputValue("#name")).toBe("Noa Renamed");
    expect(await page.inputValue("#timeZone")).toBe("Europe/Paris");
    expect(await page.getByTestId("signed-in-as").textContent()).toContain("Noa Renamed");
    await signOut(page);
    await signIn(page, baseUrl, email, "second-password");
    await visit(page, "/student/bookings", "student-bookings-empty");
    await signOut(page);
  });

  it("student pages", async () => {
    await signIn(page, baseUrl, "sam.student@coachbook.test", DEMO_PASSWORD);
    await visit(page, "/student/bookings", "student-bookings-list");
    await visit(page, "/profile", "student-profile");
    await page.goto(`${baseUrl}/coach`);
    await page.getByTestId("forbidden").waitFor();
    await checkPage(page, "student-forbidden");
    await visit(page, `/student/bookings/${mayaBooking.id}`, "student-booking-cancelled");
    // A failed payment and an ended hold each offer to pick the same time again.
    for (const status of ["PAYMENT_FAILED", "EXPIRED"] as const) {
      await db.booking.update({ where: { id: mayaBooking.id }, data: { status } });
      await visit(page, `/student/bookings/${mayaBooking.id}`, `student-booking-${status.toLowerCase()}`);
      const again = page.getByTestId(status === "PAYMENT_FAILED" ? "payment-failed" : "hold-expired").getByRole("link");
      expect(await again.getAttribute("href")).toMatch(/^\/coaches\/maya-lindqvist\/book\?offering=.+&start=2031-01-10T10%3A00%3A00.000Z/);
    }
    await db.booking.update({ where: { id: mayaBooking.id }, data: { status: "CANCELLED" } });
    await signOut(page);
  });

  it("coach pages, the booking detail (404 for another coach's booking) and the unsaved-changes warning", async () => {
    await signIn(page, baseUrl, "maya.coach@coachbook.test", DEMO_PASSWORD);
    await visit(page, "/coach", "coach-dashboard");
    await visit(page, "/coach/availability", "coach-availability");
    await visit(page, "/coach/offerings", "coach-offerings");
    await visit(page, "/coach/bookings", "coach-bookings-list");
    await visit(page, `/coach/bookings/${mayaBooking.id}`, "coach-booking-cancelled");
    expect(await page.getByTestId("payment-state").getAttribute("data-state")).toBe("NONE");
    expect(await page.getByTestId("student-email").textContent()).toBe("sam.student@coachbook.test");
    expect((await page.goto(`${baseUrl}/coach/bookings/no-such-booking`))?.status()).toBe(404);
    await checkPage(page, "coach-booking-not-found");
    // Another coach's booking is as unknown as a made-up id.
    expect((await page.goto(`${baseUrl}/coach/bookings/${jamesBooking.id}`))?.status()).toBe(404);

    // Unsaved changes: leaving through the menu asks first; "Cancel" keeps the page, "OK" leaves.
    await page.goto(`${baseUrl}/coach/availability`);
    await page.getByTestId("day-1").getByRole("button", { name: "Add range on Monday" }).click();
    await page.getByTestId("save-status").getByText("Unsaved changes").waitFor();
    const messages: string[] = [];
    page.once("dialog", (dialog) => {
      messages.push(dialog.message());
      void dialog.dismiss();
    });
    await openMenuIfCollapsed(page);
    await page.locator("a:visible", { hasText: "Offerings" }).first().click();
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toContain("unsaved changes");
    expect(new URL(page.url()).pathname).toBe("/coach/availability");
    page.once("dialog", (dialog) => void dialog.accept());
    await openMenuIfCollapsed(page);
    await page.locator("a:visible", { hasText: "Offerings" }).first().click();
    await page.waitForURL(/\/coach\/offerings$/);
    await signOut(page);
  });
});
