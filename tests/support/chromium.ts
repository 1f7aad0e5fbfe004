/**
 * Finding (and, on a fresh Debian machine, installing) the Chromium that the browser tier drives.
 * Shared by the test runner (scripts/test.ts, before the browser tier starts) and the browser harness.
 *
 * Playwright's own browser download cannot be fetched on our machines; Debian's `chromium` package can.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";

export const INSTALL_COMMAND = "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium";

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":").filter(Boolean)) {
    const candidate = `${dir}/${name}`;
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** CHROME_PATH / CHROMIUM_PATH first (an explicit choice wins), then the usual Debian/Ubuntu/Google paths. */
export function findChromium(): string | undefined {
  for (const explicit of [process.env.CHROME_PATH, process.env.CHROMIUM_PATH]) {
    if (explicit && isExecutable(explicit)) return explicit;
  }
  const fixed = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
  const found = fixed.find(isExecutable);
  if (found) return found;
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    const candidate = onPath(name);
    if (candidate) return candidate;
  }
  return undefined;
}

export function missingChromiumMessage(): string {
  return `No Chromium or Chrome found for the browser tests. Install Debian's chromium as root:\n  ${INSTALL_COMMAND}\nor point CHROME_PATH at a Chrome/Chromium binary.`;
}

function canInstallWithApt(): boolean {
  return process.getuid?.() === 0 && isExecutable("/usr/bin/apt-get");
}

function installWithApt(): { ok: boolean; output: string } {
  const result = spawnSync("sh", ["-c", INSTALL_COMMAND], { encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/**
 * Returns the browser's path. When none exists and we are root on a Debian-like machine, installs Debian's
 * `chromium` (one notice line, the apt output only on failure); otherwise throws with the exact command to run.
 * The steps are parameters so a unit test can drive each branch without touching the machine.
 */
export function ensureChromium(
  steps = { find: findChromium, canInstall: canInstallWithApt, install: installWithApt, notice: (line: string) => console.log(line) },
): string {
  const found = steps.find();
  if (found) return found;
  if (!steps.canInstall()) throw new Error(missingChromiumMessage());
  steps.notice(`▸ No Chromium found: installing Debian's chromium for the browser tests (${INSTALL_COMMAND})`);
  const result = steps.install();
  const installed = steps.find();
  if (!result.ok || !installed) throw new Error(`Installing chromium failed:\n${result.output}\n${missingChromiumMessage()}`);
  return installed;
}
