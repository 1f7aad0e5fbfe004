/**
 * `npm run bench statements`: what one request of each benchmarked kind sends to PostgreSQL, read off the wire
 * (tests/support/wire-counter.ts between `next start` and the database): round trips, statements and their SQL. These are
 * the per-request figures docs/SCALING.md quotes; a change that adds a round trip to a hot path shows up here.
 * create-booking is counted twice: as the HTTP benchmark runs it (rate limits and the hold cap off) and as
 * production runs it (limits on, a client address from the proxy's X-Forwarded-For).
 */
import { createPrismaClient } from "@/lib/db/client";
import { seedBenchData } from "./seed";
import { ensureBuild, signIn, startBenchStack, startNext } from "./support";
import { startWireCounter, type WireCounter } from "../tests/support/wire-counter";

type Kind = [name: string, send: () => Promise<Response>, warmUps?: number];

/** Warms each kind (named statements, caches), then counts one request and what it sends until shortly after. */
async function count(counter: WireCounter, kinds: Kind[]) {
  for (const [name, send, warmUps = 3] of kinds) {
    for (let i = 0; i < warmUps; i++) await (await send()).arrayBuffer();
    await new Promise((r) => setTimeout(r, 300));
    counter.take();
    const res = await send();
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 300)); // work after the answer (queued jobs do not run: the worker is off)
    const { roundTrips, statements } = counter.take();
    console.log(`\n${name} (HTTP ${res.status}): ${roundTrips} round trips, ${statements.length} statements`);
    for (const sql of statements) console.log(`  - ${sql.replace(/\s+/g, " ").trim().slice(0, 150)}`);
  }
}

export async function run() {
  const stack = await startBenchStack("coachbook-statements-");
  const counter = await startWireCounter(stack.database.url);
  try {
    const env = { ...stack.env, DATABASE_URL: counter.url };
    Object.assign(process.env, stack.env);
    const data = await seedBenchData(createPrismaClient(stack.database.url));
    ensureBuild(env);
    const { appUrl } = stack;
    let next = 0;
    const createBooking = (cookie: string, headers: Record<string, string> = {}) => () =>
      fetch(`${appUrl}/api/calcom/create-booking`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, ...headers },
        body: JSON.stringify({ offeringId: data.write.offeringId, start: data.write.starts[next++ % data.write.starts.length].toISOString(), timeZone: "Europe/London" }),
      });
    const slots = (coachId: string, offeringId: string) => () =>
      fetch(`${appUrl}/api/calcom/available-slots?${new URLSearchParams({ coachId, offeringId, from: data.from.toISOString(), to: new Date(data.from.getTime() + 60 * 86_400_000).toISOString(), timeZone: "America/New_York" })}`);

    let server = await startNext(stack.port, env);
    try {
      const cookie = await signIn(appUrl, data.studentEmail, data.studentPassword);
      await count(counter, [
        ["bare", () => fetch(`${appUrl}/api/bare`)],
        ["slots 60 d, unsynced", slots(data.plain.coachId, data.plain.offeringId)],
        ["slots 60 d, synced", slots(data.synced.coachId, data.synced.offeringId)],
        ["landing page", () => fetch(`${appUrl}/`)],
        ["coach page", () => fetch(`${appUrl}/coaches/${data.plain.slug}`)],
        ["create-booking, limits off (as benchmarked)", createBooking(cookie)],
      ]);
    } finally {
      server.kill("SIGTERM");
    }
    // Production: rate limits and the hold cap on. The student's earlier holds are released first (the cap allows
    // two live ones), so the counted request is the second hold of a student with one live hold.
    const { Client } = await import("pg");
    const admin = new Client({ connectionString: stack.database.url });
    await admin.connect();
    await admin.query("UPDATE bookings SET status = 'EXPIRED', hold_expires_at = now() - interval '1 minute' WHERE status = 'PENDING_PAYMENT'");
    await admin.end();
    await new Promise((r) => setTimeout(r, 500));
    server = await startNext(stack.port, { ...env, RATE_LIMITS: "on" });
    try {
      const cookie = await signIn(appUrl, data.studentEmail, data.studentPassword);
      await count(counter, [
        ["slots 60 d, unsynced, limits on", () => fetch(`${appUrl}/api/calcom/available-slots?${new URLSearchParams({ coachId: data.plain.coachId, offeringId: data.plain.offeringId, from: data.from.toISOString(), to: new Date(data.from.getTime() + 60 * 86_400_000).toISOString(), timeZone: "America/New_York" })}`, { headers: { "x-forwarded-for": "203.0.113.7" } })],
        ["create-booking, limits on (production)", createBooking(cookie, { "x-forwarded-for": "203.0.113.7" }), 1],
      ]);
    } finally {
      server.kill("SIGTERM");
    }
  } finally {
    await counter.stop();
    await stack.stop();
  }
}
