import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/db/seed";
import { checkPage, launchBrowser, newViewportContext, signIn, signOut, VIEWPORTS } from "../support/browser";

const baseUrl = inject("appUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

// Cheap journeys that make only fresh accounts: each runs again in a real phone context (touch, 390 px).
describe.each(VIEWPORTS)("accounts in the browser ($name)", (viewport) => {
  beforeEach(async () => {
    await context?.close();
    context = await newViewportContext(browser, viewport, "America/Los_Angeles");
    page = await context.newPage();
  });

  it("lists the seeded coaches on the landing page and shows a coach page with prices", async () => {
    await page.goto(baseUrl);
    await expect(page.getByTestId("coach-list").textContent()).resolves.toContain("Maya Lindqvist");
    await checkPage(page, "landing");
    await page.click("text=Maya Lindqvist");
    await page.waitForURL(/\/coaches\/maya-lindqvist$/);
    expect(await page.getByTestId("coach-timezone").textContent()).toBe("Europe/Berlin");
    expect(await page.getByTestId("offering-price").allTextContents()).toEqual(["€25.00", "€90.00"]);
    await checkPage(page, "coach-public-page");
  });

  it("signs up as a coach, signs out, signs back in and reaches the dashboard", async () => {
    const email = `new.coach.${Date.now()}@example.com`;
    await page.goto(`${baseUrl}/signup`);
    // The time zone is detected from the browser.
    await expect.poll(() => page.inputValue("#timeZone")).toBe("America/Los_Angeles");
    await page.check("input[name=role][value=COACH]");
    await page.fill("#name", "Nora New");
    await page.fill("#email", email);
    await page.fill("#password", "a-long-password");
    await checkPage(page, "signup");
    await Promise.all([page.waitForURL(/\/coach$/, { timeout: 20_000 }), page.click("button[type=submit]")]);
    await page.getByTestId("coach-dashboard").waitFor();
    expect(await page.getByTestId("signed-in-as").textContent()).toContain("Nora New");
    await checkPage(page, "coach-dashboard");

    await signOut(page);
    // The header learns who is signed in from /api/me after the navigation: wait for it to settle.
    await expect.poll(() => page.locator("text=Sign in").count(), { timeout: 10_000 }).toBeGreaterThan(0);

    await signIn(page, baseUrl, email, "a-long-password");
    expect(new URL(page.url()).pathname).toBe("/coach");
    await page.getByTestId("coach-dashboard").waitFor();
  });

  it("shows clear messages for bad sign-up input, a duplicate email and a wrong password", async () => {
    await page.goto(`${baseUrl}/signup`);
    await page.fill("#name", "X");
    await page.fill("#email", "not-an-email");
    await page.fill("#password", "short");
    await page.click("button[type=submit]");
    await page.locator("#email-error").waitFor();
    expect(await page.textContent("#email-error")).toContain("valid email");
    expect(await page.textContent("#password-error")).toContain("at least 8");
    expect(await page.textContent("#name-error")).toContain("at least 2");
    await checkPage(page, "signup-errors");

    await page.fill("#name", "Sam Again");
    await page.fill("#email", "sam.student@coachbook.test");
    await page.fill("#password", "another-password");
    await page.click("button[type=submit]");
    await page.locator("#email-error").getByText("already exists").waitFor();

    await page.goto(`${baseUrl}/signin`);
    await page.fill("#email", "sam.student@coachbook.test");
    await page.fill("#password", "not-the-password");
    await page.click("button[type=submit]");
    expect(await page.getByTestId("form-error").textContent()).toBe("Wrong email or password.");
    await checkPage(page, "signin-wrong-password");
  });

  it("keeps a student out of coach pages and a visitor out of both", async () => {
    await page.goto(`${baseUrl}/coach`);
    expect(new URL(page.url()).pathname).toBe("/signin");

    await signIn(page, baseUrl, "sam.student@coachbook.test", DEMO_PASSWORD);
    await page.goto(`${baseUrl}/coach`);
    await page.getByTestId("forbidden").waitFor();
    expect(new URL(page.url()).pathname).toBe("/forbidden");
    await checkPage(page, "student-forbidden");

    const response = await page.goto(`${baseUrl}/coaches/no-such-coach`);
    expect(response?.status()).toBe(404);
    await page.getByTestId("not-found").waitFor();
  });
});
