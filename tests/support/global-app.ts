import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createPrismaClient } from "@/lib/db/client";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrator";
import { seedDemoData } from "@/lib/db/seed";
import { ensureChromium } from "./chromium";
import { startTestIntegrations } from "./test-integrations";

/**
 * Browser tier: the built app (`next build` + `next start`) on a loopback port, over a fresh embedded
 * PostgreSQL with demo data and the emulators. Tests drive it with Debian's Chromium (tests/support/browser.ts).
 */
let embedded: EmbeddedDatabase | undefined;
let server: ChildProcess | undefined;
let tmp: string | undefined;

export default async function setup(project: TestProject) {
  try {
    return await start(project);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

let stopIntegrations: (() => Promise<void>) | undefined;

async function stopAll() {
  server?.kill("SIGTERM");
  await stopIntegrations?.().catch(() => {});
  await embedded?.stop().catch(() => {});
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

async function start(project: TestProject) {
  // Before the build, so a machine without a browser fails (or gets one) at once.
  ensureChromium();
  const root = path.resolve(import.meta.dirname, "../..");
  let databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coachbook-browser-"));
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "data"), ephemeral: true, database: "coachbook_browser" });
    databaseUrl = embedded.url;
  }
  await migrate(databaseUrl);
  const db = createPrismaClient(databaseUrl);
  await seedDemoData(db);
  await db.$disconnect();

  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const integrations = await startTestIntegrations(appUrl);
  stopIntegrations = integrations.stop;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...integrations.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    APP_URL: appUrl,
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: "browser-test-secret-browser-test-secret",
    COACHBOOK_LOG: "silent",
  };
  // Next keeps its data cache (unstable_cache entries of the public pages) in .next/cache across restarts and
  // builds; each run here starts from a new database with new ids, so the old entries must go.
  fs.rmSync(path.join(root, ".next/cache/fetch-cache"), { recursive: true, force: true });
  if (process.env.BROWSER_TESTS_SKIP_BUILD !== "1") {
    const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { cwd: root, env, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  }
  server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout?.on("data", (chunk) => (output += chunk));
  server.stderr?.on("data", (chunk) => (output += chunk));
  await waitForServer(appUrl, () => output);

  project.provide("appUrl", appUrl);
  project.provide("browserDatabaseUrl", databaseUrl);
  project.provide("integrationUrls", integrations.urls);
  return stopAll;
}

async function waitForServer(url: string, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`next start exited:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not answer within 60 s:\n${output()}`);
}

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    browserDatabaseUrl: string;
    integrationUrls: Record<string, string>;
  }
}
