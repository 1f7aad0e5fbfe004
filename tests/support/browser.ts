import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../test-results/screenshots");

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].filter(Boolean) as string[];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = CHROMIUM_CANDIDATES.find((candidate) => fs.existsSync(candidate));
  if (!executablePath) throw new Error("No Chromium found. Install Debian's chromium (`apt-get install -y chromium`) or set CHROMIUM_PATH.");
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
