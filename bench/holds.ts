/**
 * create-booking under load at 50 connections, for diagnosis (not part of `npm run bench`):
 *
 * - `npx tsx bench/holds.ts batches`: one server, 5 s batches in a row. Per batch: req/s, latency, the server main
 *   thread's CPU per hold and its share of time waiting for a CPU, PostgreSQL's CPU per hold, and autovacuum /
 *   autoanalyze counts of the hot tables. This is how the hold read's plan flip after ANALYZE was found
 *   (docs/BENCHMARKS.md, seventh pass). BENCH_READS_FIRST=1 first serves 70 s of page and slot reads, as
 *   `npm run bench http` does before create-booking (a server that served other routes costs more per hold).
 * - `npx tsx bench/holds.ts ab <dir>`: A/B of two builds on one database: this checkout's `.next` and the one in
 *   <dir> (a git worktree of the other commit with its own `next build`; `cp -al node_modules` and a copy of
 *   lib/generated make it buildable). Alternating 10 s rounds, exact p50/p95 from every response. The host's
 *   speed moves by 20-30% between runs minutes apart, so compare builds this way, never across two runs.
 *
 * Env: BENCH_BATCHES (default 12), BENCH_NODE_ARGS (Node flags of the batches' server, e.g. `--require <file>`), BENCH_ROUNDS (A/B rounds per build, default 6), BENCH_BUILD=1 rebuilds this
 * checkout first, BENCH_B_NODE_ARGS and BENCH_B_ENV (Node flags, "KEY=value ..." settings) for the A/B's second
 * server only: `ab .` compares two settings of this one build.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import pg from "pg";
import { createPrismaClient } from "@/lib/db/client";
import { freePort } from "@/lib/db/embedded-postgres";
import { seedBenchData } from "./seed";
import { ensureBuild, root, serveReads, signIn, startBenchStack, startNext } from "./support";

const mode = process.argv[2] ?? "batches";
const otherBuild = process.argv[3];
if (mode === "ab" && !otherBuild) throw new Error("usage: npx tsx bench/holds.ts ab <dir of another checkout with a next build>");

/**
 * CPU ticks (user + system, 1/100 s) of a process and of its exited, reaped children, 0 once it has exited. The
 * children's part is the postmaster's: without it, an autovacuum worker or backend that exits mid-measurement took
 * its ticks with it, and PostgreSQL's CPU per hold came out negative.
 */
function ticks(pid: number | string): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  } catch {
    return 0;
  }
}
/** [ns on a CPU, ns runnable but waiting] of a process's main thread. */
const mainThread = (pid: number) => fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ").map(Number);
/** CPU ticks of every postgres process (the benchmark's embedded PostgreSQL is the only one running). */
function postgresTicks(): number {
  return fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/comm`, "utf8").trim() === "postgres").reduce((sum, p) => sum + ticks(p), 0);
}

const stack = await startBenchStack("coachbook-holds-");
const servers: ChildProcess[] = [];
try {
  Object.assign(process.env, stack.env);
  const data = await seedBenchData(createPrismaClient(stack.database.url));
  ensureBuild(stack.env);
  const stats = new pg.Client({ connectionString: stack.database.url });
  await stats.connect();
  let next = 0;
  const holds = (url: string, cookie: string, duration: number): autocannon.Options => ({
    url: `${url}/api/calcom/create-booking`, connections: 50, method: "POST", duration,
    headers: { "content-type": "application/json", cookie },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ offeringId: data.write.offeringId, start: data.write.starts[next++ % data.write.starts.length].toISOString(), timeZone: "Europe/London" }) }) }],
  });
  /**
   * The seed has 28,800 distinct slots; past 18,000 holds they are deleted (the holds of the benchmark's offering and
   * their payments) so every request stays a new hold. A pause first lets in-flight requests finish.
   */
  async function freeSlotsIfLow() {
    if (next < 18_000) return;
    await new Promise((r) => setTimeout(r, 1500));
    await stats.query("DELETE FROM payments WHERE booking_id IN (SELECT id FROM bookings WHERE offering_id = $1)", [data.write.offeringId]);
    await stats.query("DELETE FROM bookings WHERE offering_id = $1", [data.write.offeringId]);
    await stats.query("VACUUM ANALYZE bookings");
    next = 0;
    console.log("(holds deleted, bookings vacuumed)");
  }
  /** One measured run with every response's latency, and what it cost the server's main thread and PostgreSQL. */
  async function measure(server: ChildProcess, options: autocannon.Options) {
    const latencies: number[] = [];
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const [main0, pg0, t0, self0, loop0] = [mainThread(server.pid!), postgresTicks(), performance.now(), process.cpuUsage(), performance.eventLoopUtilization()];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(options, (error, r) => (error ? reject(error) : resolve(r))).on("response", (_c, _s, _b, ms) => latencies.push(ms));
    });
    const [main1, pg1, wallMs, self1, loop] = [mainThread(server.pid!), postgresTicks(), performance.now() - t0, process.cpuUsage(self0), performance.eventLoopUtilization(loop0)];
    loopDelay.disable();
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.ceil(q * latencies.length) - 1] ?? NaN);
    const n = Math.max(1, result.requests.total);
    return {
      rps: result.requests.average, p50: at(0.5), p95: at(0.95), p99: at(0.99), failed: result.non2xx + result.errors,
      mainMsPerHold: (main1[0] - main0[0]) / 1e6 / n, mainWaiting: (main1[1] - main0[1]) / 1e6 / wallMs, pgMsPerHold: ((pg1 - pg0) * 10) / n,
      // This process: the load generator and the Stripe emulator share its event loop (and the two cores).
      selfMsPerHold: (self1.user + self1.system) / 1000 / n, selfLoopBusy: loop.utilization,
      selfLoopDelayP50: loopDelay.percentile(50) / 1e6, selfLoopDelayP99: loopDelay.percentile(99) / 1e6,
    };
  }
  const line = (m: Awaited<ReturnType<typeof measure>>) =>
    `${m.rps.toFixed(0).padStart(4)} req/s  p50 ${m.p50} p95 ${m.p95} p99 ${m.p99} ms  main thread ${m.mainMsPerHold.toFixed(2)} ms/hold, waiting ${m.mainWaiting.toFixed(2)}  PostgreSQL ${m.pgMsPerHold.toFixed(2)} ms/hold  load+emulator ${m.selfMsPerHold.toFixed(2)} ms/hold, loop busy ${m.selfLoopBusy.toFixed(2)}, delay p50/p99 ${m.selfLoopDelayP50.toFixed(0)}/${m.selfLoopDelayP99.toFixed(0)} ms${m.failed ? `  ${m.failed} failed` : ""}`;

  if (mode === "batches") {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await startNext(port, { ...stack.env, APP_URL: url, NEXTAUTH_URL: url }, (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean));
    servers.push(server);
    const cookie = await signIn(url, data.studentEmail, data.studentPassword);
    if (process.env.BENCH_READS_FIRST === "1") await serveReads(url, data);
    const t0 = Date.now();
    for (let batch = 0; batch < Number(process.env.BENCH_BATCHES ?? 12); batch++) {
      await freeSlotsIfLow();
      const m = await measure(server, holds(url, cookie, 5));
      const tables = (await stats.query<{ relname: string; autovacuum_count: string; autoanalyze_count: string }>(
        "SELECT relname, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables WHERE relname IN ('bookings', 'payments', 'coach_profiles') ORDER BY relname",
      )).rows.map((t) => `${t.relname} ${t.autovacuum_count}/${t.autoanalyze_count}`).join(", ");
      console.log(`t=${String(Math.round((Date.now() - t0) / 1000)).padStart(3)} s  holds ${String(next).padStart(6)}  ${line(m)}  (autovacuum/analyze: ${tables})`);
    }
  } else {
    // BENCH_B_NODE_ARGS / BENCH_B_ENV ("KEY=value KEY2=value"): Node flags / environment for the second server only
    // (`ab .` then compares settings on one build).
    const bArgs = (process.env.BENCH_B_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const bEnv = Object.fromEntries((process.env.BENCH_B_ENV ?? "").split(" ").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    const builds = [
      { name: "this checkout", dir: root, nodeArgs: [] as string[], env: {} as Record<string, string> },
      { name: [path.basename(path.resolve(otherBuild!)), ...bArgs, process.env.BENCH_B_ENV ?? ""].join(" ").trim().slice(0, 40), dir: path.resolve(otherBuild!), nodeArgs: bArgs, env: bEnv },
    ];
    const live: { name: string; server: ChildProcess; url: string; cookie: string }[] = [];
    for (const build of builds) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const server = await startNext(port, { ...stack.env, ...build.env, APP_URL: url, NEXTAUTH_URL: url }, build.nodeArgs, build.dir);
      servers.push(server);
      live.push({ name: build.name, server, url, cookie: await signIn(url, data.studentEmail, data.studentPassword) });
    }
    for (const s of live) await freeSlotsIfLow().then(() => autocannon(holds(s.url, s.cookie, 15))); // warm-up: a cold server settles after ~15 s
    const rows = new Map<string, Awaited<ReturnType<typeof measure>>[]>();
    for (let round = 0; round < Number(process.env.BENCH_ROUNDS ?? 6); round++) {
      for (const s of round % 2 ? [...live].reverse() : live) {
        await freeSlotsIfLow();
        await autocannon(holds(s.url, s.cookie, 2));
        const m = await measure(s.server, holds(s.url, s.cookie, 10));
        rows.set(s.name, [...(rows.get(s.name) ?? []), m]);
        console.log(`${s.name.padEnd(40)} ${line(m)}`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const [name, ms] of rows) console.log(`median ${name.padEnd(40)} ${median(ms.map((m) => m.rps)).toFixed(0)} req/s, p95 ${median(ms.map((m) => m.p95))} ms, main thread ${median(ms.map((m) => m.mainMsPerHold)).toFixed(2)} ms/hold, PostgreSQL ${median(ms.map((m) => m.pgMsPerHold)).toFixed(2)} ms/hold`);
  }
  if (next > data.write.starts.length) console.log(`(ran out of distinct slots after ${data.write.starts.length}: later holds were resumed, not made)`);
  await stats.end();
} finally {
  for (const server of servers) server.kill("SIGTERM");
  await stack.stop();
}
