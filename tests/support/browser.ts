import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { findChromium, missingChromiumMessage } from "./chromium";

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const AXE_SOURCE = fs.readFileSync(path.resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js"), "utf8");

/** The two screens every page is checked on: a laptop and a 390 px phone. */
export const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 390, height: 844 },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];

export async function launchBrowser(): Promise<Browser> {
  // The global setup (tests/support/global-app.ts) already installed it where it could.
  const executablePath = findChromium();
  if (!executablePath) throw new Error(missingChromiumMessage());
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
  });
}

/** A context at one of the VIEWPORTS (touch on the phone); leaving a page with unsaved changes is accepted unless a test listens. */
export async function newViewportContext(browser: Browser, viewport: Viewport, timezoneId: string): Promise<BrowserContext> {
  return browser.newContext({
    timezoneId,
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport.name === "mobile",
    hasTouch: viewport.name === "mobile",
  });
}

/** Kept under test-results/ (git-ignored) so a person can look at the pages the journeys went through. */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's serious and critical violations on the page as it is now (the page's own state, after hydration). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/**
 * Every page state the journeys reach goes through here: no serious/critical axe violation, no sideways scrolling
 * (scrollWidth <= innerWidth), and a screenshot named after the state and the viewport width.
 */
export async function checkPage(page: Page, name: string) {
  const width = page.viewportSize()?.width ?? 0;
  const violations = await axeViolations(page);
  expect(violations, `axe on ${name} at ${width}px:\n${JSON.stringify(violations, null, 1)}`).toEqual([]);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  if (scrollWidth > innerWidth) {
    // Name the elements that stick out, so the failure says where to look.
    const overflowing = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 8)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${String(el.getAttribute("class") ?? "").split(" ").slice(0, 4).join(".")} right=${Math.round(el.getBoundingClientRect().right)}`),
    );
    expect(scrollWidth, `${name} scrolls sideways at ${width}px; sticking out:\n${overflowing.join("\n")}`).toBeLessThanOrEqual(innerWidth);
  }
  await screenshot(page, `${name}-${width}`);
}

/**
 * checkPage at each of the VIEWPORTS by resizing the same page, for journeys that change data as they go and so
 * cannot simply be run again on a phone: the state on screen (open editors, inline errors) stays as it is.
 */
export async function checkPageAtEachWidth(page: Page, name: string) {
  const original = page.viewportSize();
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await checkPage(page, name);
  }
  if (original) await page.setViewportSize(original);
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/signin`);
  await fillSignIn(page, email, password);
}

/** On the sign-in form already (e.g. sent there with a callbackUrl): fill it and wait to leave /signin. */
export async function fillSignIn(page: Page, email: string, password: string) {
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 20_000 }), page.click("button[type=submit]")]);
}

/** Opens the header menu first on small screens, where the navigation sits behind "Menu". */
export async function openMenuIfCollapsed(page: Page) {
  const menu = page.getByTestId("mobile-menu");
  if (await menu.isVisible()) {
    if (!(await menu.evaluate((el) => (el as HTMLDetailsElement).open))) await menu.locator("summary").click();
  }
}

export async function signOut(page: Page) {
  await openMenuIfCollapsed(page);
  await Promise.all([page.waitForURL((url) => url.pathname === "/", { timeout: 20_000 }), page.locator("button:visible", { hasText: "Sign out" }).click()]);
}

/** On the slot picker: clicks the first free slot, moving week by week (up to four); returns its start instant. */
export async function pickFirstSlot(p: Page): Promise<string> {
  for (let week = 0; week < 4; week++) {
    await p.waitForSelector("[data-testid=slot], [data-testid=no-slots]", { timeout: 20_000 });
    const slot = p.getByTestId("slot").first();
    if (await slot.count()) {
      await slot.click();
      return (await slot.getAttribute("data-start"))!;
    }
    await p.getByTestId("next-week").click();
  }
  throw new Error("no free slot in four weeks");
}
