/**
 * HTTP load benchmark: `GET /api/calcom/available-slots` and `POST /api/calcom/create-booking` against the built
 * app (`next start`) on an embedded PostgreSQL, with the Stripe emulator behind create-booking. Reports p50/p95
 * latency and throughput (autocannon). Needs a build: it runs `next build` if .next is missing.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createPrismaClient } from "@/lib/db/client";
import { freePort, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrator";
import { startStripeEmulator } from "@/lib/emulators/stripe";

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function session(baseUrl: string, email: string, password: string): Promise<string> {
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
  if (!token) throw new Error("could not sign in for the benchmark");
  return token.split(";")[0];
}

function report(name: string, result: autocannon.Result) {
  const ok = result["2xx"];
  console.log(
    // autocannon's histogram reports p90 and p97.5, not p95: p95 lies between the two.
    `${name.padEnd(34)} p50 ${String(result.latency.p50).padStart(5)} ms  p90 ${String(result.latency.p90).padStart(5)} ms  p97.5 ${String(result.latency.p97_5).padStart(5)} ms  p99 ${String(result.latency.p99).padStart(5)} ms  ${result.requests.average.toFixed(0).padStart(5)} req/s  (${ok} 2xx, ${result.non2xx} other, ${result.errors} errors)`,
  );
}

export async function run() {
  const root = path.resolve(import.meta.dirname, "..");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coachbook-bench-"));
  fs.chmodSync(tmp, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, "data"), ephemeral: true, database: "bench" });
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const stripe = await startStripeEmulator({ webhookUrl: `${appUrl}/api/webhooks/stripe` });
  let server: ReturnType<typeof spawn> | undefined;
  try {
    await migrate(pg.url);
    const db = createPrismaClient(pg.url);
    const { hashPassword } = await import("@/lib/accounts/service");
    const passwordHash = await hashPassword("bench-password");
    const coachUser = await db.user.create({ data: { email: "bench.coach@example.com", name: "Bench Coach", passwordHash, role: "COACH", timeZone: "Europe/Berlin" } });
    const coach = await db.coachProfile.create({
      data: {
        userId: coachUser.id,
        slug: "bench-coach",
        timeZone: "Europe/Berlin",
        minimumNoticeMinutes: 0,
        bookingHorizonDays: 365,
        availabilityRules: { create: [0, 1, 2, 3, 4, 5, 6].flatMap((weekday) => [{ weekday, startMinute: 480, endMinute: 720 }, { weekday, startMinute: 780, endMinute: 1020 }, { weekday, startMinute: 1080, endMinute: 1260 }]) },
        offerings: { create: [{ title: "Quick call", durationMinutes: 15, priceMinor: 1500, currency: "eur" }] },
      },
      include: { offerings: true },
    });
    await db.user.create({ data: { email: "bench.student@example.com", name: "Bench Student", passwordHash, role: "STUDENT", timeZone: "Europe/London" } });
    // 300 existing bookings of the coach, as busy time for the slot engine.
    const student = await db.user.findUniqueOrThrow({ where: { email: "bench.student@example.com" } });
    const day0 = new Date();
    day0.setUTCHours(0, 0, 0, 0);
    const busy = Array.from({ length: 300 }, (_, i) => {
      const start = new Date(day0.getTime() + (200 + i) * 86_400_000 + 9 * 3_600_000);
      return { coachId: coach.id, studentId: student.id, offeringId: coach.offerings[0].id, status: "CONFIRMED" as const, startsAt: start, endsAt: new Date(start.getTime() + 15 * 60_000), blockedFrom: start, blockedUntil: new Date(start.getTime() + 15 * 60_000), studentTimeZone: "UTC", title: "x", priceMinor: 1500, currency: "eur", policy: {} };
    });
    await db.booking.createMany({ data: busy });
    await db.$disconnect();

    const env = {
      ...process.env,
      NODE_ENV: "production" as const,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: pg.url,
      APP_URL: appUrl,
      NEXTAUTH_URL: appUrl,
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret",
      STRIPE_SECRET_KEY: "sk_test_bench",
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE: stripe.url,
      COACHBOOK_LOG: "silent",
      COACHBOOK_WORKER: "off",
      // Load from one student and one address: the rate limits and the hold cap would refuse it (docs/SECURITY.md).
      RATE_LIMITS: "off",
    };
    if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
      const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { cwd: root, env, stdio: "inherit" });
      if (build.status !== 0) throw new Error("next build failed");
    }
    server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env, stdio: "ignore" });
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(appUrl)).status < 500) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const cookie = await session(appUrl, "bench.student@example.com", "bench-password");

    const from = new Date(day0.getTime() + 86_400_000);
    const query = new URLSearchParams({ coachId: coach.id, offeringId: coach.offerings[0].id, from: from.toISOString(), to: new Date(from.getTime() + 60 * 86_400_000).toISOString(), timeZone: "America/New_York" });
    const slotsUrl = `${appUrl}/api/calcom/available-slots?${query}`;
    const sample = (await (await fetch(slotsUrl)).json()) as { slots: { start: string }[] };
    console.log(`machine: ${os.cpus().length} cores, Node ${process.version}; ${DURATION_S} s per run, ${CONNECTIONS} connections; one 60-day slot query returns ${sample.slots.length} slots`);
    await autocannon({ url: slotsUrl, connections: CONNECTIONS, duration: 2 }); // warm-up
    report("GET available-slots (60 days)", await autocannon({ url: slotsUrl, connections: CONNECTIONS, duration: DURATION_S }));
    // What the booking page asks for: one week.
    const weekQuery = new URLSearchParams({ coachId: coach.id, offeringId: coach.offerings[0].id, from: from.toISOString(), to: new Date(from.getTime() + 7 * 86_400_000).toISOString(), timeZone: "America/New_York" });
    report("GET available-slots (7 days)", await autocannon({ url: `${appUrl}/api/calcom/available-slots?${weekQuery}`, connections: CONNECTIONS, duration: DURATION_S }));

    // Every create-booking request targets a different free slot (the next one in the list), so the figure is
    // the cost of a successful hold + Checkout Session, not of a 409.
    const starts = sample.slots.map((s) => s.start);
    let next = 0;
    const result = await autocannon({
      url: `${appUrl}/api/calcom/create-booking`,
      connections: CONNECTIONS,
      duration: DURATION_S,
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ offeringId: coach.offerings[0].id, start: starts[next++ % starts.length], timeZone: "Europe/London" }) }) }],
    });
    report("POST create-booking", result);
    if (next > starts.length) console.log(`(ran out of distinct slots after ${starts.length}; later requests were 409s)`);
  } finally {
    server?.kill("SIGTERM");
    await stripe.stop();
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
