import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { findChromium, missingChromiumMessage } from "./chromium";

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../test-results/screenshots");

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

/** Kept under test-results/ (git-ignored) so a person can look at the pages the journeys went through. */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/signin`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 20_000 }), page.click("button[type=submit]")]);
}

export async function signOut(page: Page) {
  await Promise.all([page.waitForURL((url) => url.pathname === "/", { timeout: 20_000 }), page.click("text=Sign out")]);
}
