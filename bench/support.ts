import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { PRODUCTION_NODE_FLAGS } from "../scripts/server-node-flags";
import type { seedBenchData } from "./seed";

export const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

/** Builds the app when there is no build yet, or when BENCH_BUILD=1. */
export function ensureBuild(env: NodeJS.ProcessEnv) {
  if (process.env.BENCH_BUILD !== "1" && fs.existsSync(path.join(root, ".next/BUILD_ID"))) return;
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, env, stdio: "inherit" });
  if (build.status !== 0) throw new Error("next build failed");
}

/**
 * `next start` on a port; resolves when /api/bare answers (the env must set BENCH_ROUTES=1). `checkout`: another
 * checkout with its own node_modules and build (bench/holds.ts compares two builds); this one by default.
 */
export async function startNext(port: number, env: NodeJS.ProcessEnv, nodeArgs: string[] = [], checkout = root): Promise<ChildProcess> {
  const next = checkout === root ? nextBin : path.join(checkout, "node_modules/next/dist/bin/next");
  // The production server's flags first (a flag in nodeArgs given again wins: V8 takes the last).
  const server = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, ...nodeArgs, next, "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: checkout, env, stdio: "ignore" });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/bare`)).status === 200) return server;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  server.kill("SIGTERM");
  throw new Error(`next start on port ${port} did not come up`);
}

/** A next-auth session cookie for email/password. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const cookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const token = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  if (!token) throw new Error(`could not sign in as ${email}`);
  return token.split(";")[0];
}

/**
 * The environment every benchmark's server runs with: production mode, its database, the Stripe and Cal.com
 * emulators, logging silenced, the benchmark's reference routes on, and rate limits off (load comes from one
 * student and one address, which the limits and the hold cap would refuse: docs/SECURITY.md).
 */
export function benchEnv(opts: { databaseUrl: string; appUrl: string; stripe: { url: string; webhookSecret: string }; calcomUrl: string }) {
  return {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: opts.databaseUrl,
    APP_URL: opts.appUrl,
    NEXTAUTH_URL: opts.appUrl,
    NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret",
    STRIPE_SECRET_KEY: "sk_test_bench",
    STRIPE_WEBHOOK_SECRET: opts.stripe.webhookSecret,
    STRIPE_API_BASE: opts.stripe.url,
    CALCOM_API_URL: opts.calcomUrl,
    CALCOM_CLIENT_ID: BENCH_CALCOM.clientId,
    CALCOM_CLIENT_SECRET: BENCH_CALCOM.clientSecret,
    CALCOM_WEBHOOK_SECRET: BENCH_CALCOM.webhookSecret,
    COACHBOOK_LOG: "silent",
    BENCH_ROUTES: "1",
    RATE_LIMITS: "off",
  };
}

/** The Cal.com emulator's OAuth client and webhook secret for benchmarks (startCalcomEmulator(BENCH_CALCOM)). */
export const BENCH_CALCOM = { clientId: "bench-client", clientSecret: "bench-secret", webhookSecret: "bench-calcom-hook" };

/**
 * One benchmark's world: a throw-away embedded PostgreSQL (migrated), the Stripe and Cal.com emulators, a free port
 * for the app, and its environment (benchEnv, worker off). `stop()` takes it all down.
 */
export async function startBenchStack(prefix: string) {
  const { startEmbeddedPostgres, freePort } = await import("@/lib/db/embedded-postgres");
  const { migrate } = await import("@/lib/db/migrator");
  const { startStripeEmulator } = await import("@/lib/emulators/stripe");
  const { startCalcomEmulator } = await import("@/lib/emulators/calcom");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(tmp, 0o755);
  const database = await startEmbeddedPostgres({ dataDir: path.join(tmp, "data"), ephemeral: true, database: "bench" });
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const stripe = await startStripeEmulator({ webhookUrl: `${appUrl}/api/webhooks/stripe` });
  const cal = await startCalcomEmulator(BENCH_CALCOM);
  const stop = async () => {
    await cal.stop();
    await stripe.stop();
    await database.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await migrate(database.url);
  } catch (error) {
    await stop();
    throw error;
  }
  const env = { ...benchEnv({ databaseUrl: database.url, appUrl, stripe, calcomUrl: cal.url }), COACHBOOK_WORKER: "off" };
  return { tmp, database, port, appUrl, stripe, cal, env, stop };
}

/**
 * 70 s of the read traffic `npm run bench http` serves before create-booking: 15 s each of the landing and coach
 * pages, then 40 s of 60-day slot reads over 5,000 different windows (10 connections). A server that served these
 * costs more per hold than a fresh one (docs/BENCHMARKS.md, seventh pass), so diagnosis can start from that state.
 */
export async function serveReads(url: string, data: Awaited<ReturnType<typeof seedBenchData>>) {
  let minute = 0;
  const slotsPath = () => `/api/calcom/available-slots?${new URLSearchParams({ coachId: data.plain.coachId, offeringId: data.plain.offeringId, from: new Date(data.from.getTime() + (minute++ % 5000) * 60_000).toISOString(), to: new Date(data.from.getTime() + 60 * 86_400_000).toISOString(), timeZone: "America/New_York" })}`;
  for (const page of ["/", `/coaches/${data.plain.slug}`]) await autocannon({ url: `${url}${page}`, connections: 10, duration: 15 });
  await autocannon({ url: `${url}${slotsPath()}`, connections: 10, duration: 40, requests: [{ setupRequest: (req) => ({ ...req, path: slotsPath() }) }] });
}
