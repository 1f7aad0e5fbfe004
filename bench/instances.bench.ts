/**
 * Two stateless `next start` instances on one PostgreSQL (`npx tsx bench/index.ts instances`, about a minute):
 *
 * 1. Slot answers: Cal.com answers are cached per instance, keyed by the coach's availability_version. A hold made
 *    through instance A must change what instance B answers at once (B asks Cal.com again; the slot is gone).
 * 2. Coach pages: revalidateTag reaches only the instance that handled the change. A shows the change at once;
 *    B shows it when its entry's short revalidate runs out. The delay is measured and reported.
 * 3. Background work: both instances run the worker. Holds released by the sweep queue one Checkout-expiry job
 *    each; every job must run exactly once (attempts = 1), whichever instance claimed it.
 *
 * Exits non-zero (throws) when 1 or 3 fail, or when B never shows the page change within revalidate + 15 s.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PAGE_DATA_REVALIDATE_SECONDS } from "@/lib/coaches/page-cache";
import { createPrismaClient } from "@/lib/db/client";
import { freePort, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrator";
import { startCalcomEmulator } from "@/lib/emulators/calcom";
import { startStripeEmulator } from "@/lib/emulators/stripe";
import { seedBenchData } from "./seed";
import { BENCH_CALCOM, benchEnv, ensureBuild, signIn, startNext } from "./support";
import { holdGraceSeconds } from "@/lib/booking/release";
import { JOB } from "@/lib/jobs/kinds";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coachbook-instances-"));
  fs.chmodSync(tmp, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, "data"), ephemeral: true, database: "instances" });
  const [portA, portB] = [await freePort(), await freePort()];
  const [a, b] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
  const stripe = await startStripeEmulator({ webhookUrl: `${a}/api/webhooks/stripe` });
  const cal = await startCalcomEmulator(BENCH_CALCOM);
  const servers: ChildProcess[] = [];
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) failures.push(what);
  };
  try {
    await migrate(pg.url);
    const env = { ...benchEnv({ databaseUrl: pg.url, appUrl: a, stripe, calcomUrl: cal.url }), WORKER_INTERVAL_MS: "300" };
    Object.assign(process.env, env, { COACHBOOK_WORKER: "off" });
    const data = await seedBenchData(createPrismaClient(pg.url));
    ensureBuild(env);
    servers.push(await startNext(portA, env), await startNext(portB, env));
    const student = await signIn(a, data.studentEmail, data.studentPassword);
    const db = createPrismaClient(pg.url);

    // 1. Slot answers invalidate across instances.
    const slotCalls = () => cal.requests.filter((r) => r.path === "/v2/slots").length;
    const q = new URLSearchParams({ coachId: data.synced.coachId, offeringId: data.synced.offeringId, from: data.from.toISOString(), to: new Date(data.from.getTime() + 7 * 86_400_000).toISOString(), timeZone: "UTC" });
    const slots = async (base: string) => (await (await fetch(`${base}/api/calcom/available-slots?${q}`)).json()) as { source: string; slots: { start: string }[] };
    const c0 = slotCalls();
    const first = await slots(a);
    await slots(b);
    await slots(a);
    await slots(b);
    check(first.source === "calcom" && slotCalls() === c0 + 2, `each instance asks Cal.com once, then answers from its kept answer (Cal.com slot calls: ${slotCalls() - c0}, expected 2)`);
    const taken = first.slots[0].start;
    const hold = await fetch(`${a}/api/calcom/create-booking`, { method: "POST", headers: { "content-type": "application/json", cookie: student }, body: JSON.stringify({ offeringId: data.synced.offeringId, start: taken, timeZone: "UTC" }) });
    check(hold.status === 201 || hold.status === 200, `a hold through instance A succeeds (${hold.status})`);
    const before = slotCalls();
    const onB = await slots(b);
    check(!onB.slots.some((s) => s.start === taken) && slotCalls() === before + 1, "instance B stops offering the held slot at once (its kept answer and its cached Cal.com answer are both checked against the coach's availability_version)");

    // 2. Coach pages: A at once, B after its revalidate window.
    const coach = await signIn(a, `${data.plain.slug}@example.com`, data.studentPassword);
    await fetch(`${a}/coaches/${data.plain.slug}`);
    await fetch(`${b}/coaches/${data.plain.slug}`);
    const title = `Renamed ${Date.now()}`;
    const patch = await fetch(`${a}/api/coach/offerings/${data.plain.offeringId}`, { method: "PATCH", headers: { "content-type": "application/json", cookie: coach }, body: JSON.stringify({ title }) });
    check(patch.ok, `the coach renames an offering through instance A (${patch.status})`);
    const started = Date.now();
    // At once, as a rule. Now and then (1 run in 3 or 4) the first read after the change still gets the old page and
    // the next one, 0.25 s later, the new one (docs/STATUS.md): reported as such, within a 5 s bound.
    let onA = (await (await fetch(`${a}/coaches/${data.plain.slug}`)).text()).includes(title);
    const atOnce = onA;
    while (!onA && Date.now() - started < 5_000) {
      await sleep(250);
      onA = (await (await fetch(`${a}/coaches/${data.plain.slug}`)).text()).includes(title);
    }
    check(onA, atOnce ? "instance A shows the change at once (revalidateTag)" : `instance A shows the change after ${((Date.now() - started) / 1000).toFixed(1)} s (its first read after the change still had the old page)`);
    let delayS = -1;
    while (Date.now() - started < (PAGE_DATA_REVALIDATE_SECONDS + 15) * 1000) {
      // Two reads: an expired entry is served stale once while it is refreshed in the background.
      await fetch(`${b}/coaches/${data.plain.slug}`);
      if ((await (await fetch(`${b}/coaches/${data.plain.slug}`)).text()).includes(title)) {
        delayS = (Date.now() - started) / 1000;
        break;
      }
      await sleep(1000);
    }
    check(delayS >= 0, `instance B shows the change after ${delayS.toFixed(1)} s (bound: revalidate ${PAGE_DATA_REVALIDATE_SECONDS} s; per-instance cache, docs/SCALING.md)`);

    // 3. Both workers running: each released hold's job runs exactly once.
    const holds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${i % 2 ? b : a}/api/calcom/create-booking`, { method: "POST", headers: { "content-type": "application/json", cookie: student }, body: JSON.stringify({ offeringId: data.write.offeringId, start: data.write.starts[i * 7].toISOString(), timeZone: "UTC" }) });
      holds.push(((await res.json()) as { bookingId: string }).bookingId);
    }
    await db.booking.updateMany({ where: { id: { in: holds } }, data: { holdExpiresAt: new Date(Date.now() - (holdGraceSeconds() + 5) * 1000) } }); // past the sweeper's grace period
    const deadline = Date.now() + 30_000;
    let jobs: { status: string; attempts: number }[] = [];
    while (Date.now() < deadline) {
      const released = await db.booking.count({ where: { id: { in: holds }, status: { not: "PENDING_PAYMENT" } } });
      // Each release is a booking.expire-hold job (it expires the Checkout Session at Stripe itself, lib/booking/release.ts).
      jobs = await db.job.findMany({ where: { kind: JOB.bookingExpireHold }, select: { status: true, attempts: true } });
      if (released === holds.length && jobs.length === holds.length && jobs.every((j) => j.status === "DONE")) break;
      await sleep(500);
    }
    check(jobs.length === holds.length && jobs.every((j) => j.status === "DONE" && j.attempts === 1), `8 released holds -> ${jobs.length} hold-expiry jobs, all DONE with one attempt each (${JSON.stringify(jobs.map((j) => `${j.status}/${j.attempts}`))})`);
    await db.$disconnect();
  } finally {
    for (const server of servers) server.kill("SIGTERM");
    await cal.stop();
    await stripe.stop();
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (failures.length > 0) throw new Error(`instances benchmark: ${failures.length} check(s) failed`);
}
