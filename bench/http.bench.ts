/**
 * HTTP benchmark against the built app (`next start`, production mode) on an embedded PostgreSQL, with the Stripe
 * and Cal.com emulators behind it. Every figure is reported as a ratio to two reference routes measured in the
 * same run (`/api/bare`: {ok:true}; `/api/bare/slots`: a fixed 38.8 KB slot JSON), in alternating rounds, so a
 * busy shared machine moves both sides alike. Also: the growth benchmark (a coach with 10,000 past bookings and
 * 2,000 abandoned holds against an identical coach without history) and the server's peak memory (VmHWM).
 *
 * Env: BENCH_SECONDS (per target per round, default 4), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 10),
 * BENCH_WRITE_CONNECTIONS (create-booking, default 50). Needs a build: runs `next build` if .next is missing
 * (BENCH_BUILD=1 forces one).
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import autocannon from "autocannon";
import pg from "pg";
import { createPrismaClient } from "@/lib/db/client";
import { seedBenchData } from "./seed";
import { ensureBuild, signIn, startBenchStack, startNext } from "./support";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WRITE_CONNECTIONS = Number(process.env.BENCH_WRITE_CONNECTIONS ?? 50);

interface Target {
  name: string;
  url: string;
  /** The reference route this target is compared with besides /api/bare. */
  alsoVs?: string;
  /**
   * Slot reads only: move the window's start by one more minute on every request, so no answer is ever asked twice
   * and the process's answer cache (lib/booking/slot-answers.ts) always misses: the full read, engine and JSON.
   */
  everyRequestNew?: boolean;
}

/** autocannon options for a target: its `everyRequestNew` windows. */
function requestsOf(t: Target): Partial<autocannon.Options> {
  if (!t.everyRequestNew) return {};
  const url = new URL(t.url);
  const from = new Date(url.searchParams.get("from")!).getTime();
  const to = new Date(url.searchParams.get("to")!).getTime();
  let n = 0;
  return {
    requests: [
      {
        setupRequest: (req) => {
          n = (n + 1) % 100_000;
          url.searchParams.set("from", new Date(from + n * 60_000).toISOString());
          url.searchParams.set("to", new Date(to + n * 60_000).toISOString());
          return { ...req, path: `${url.pathname}${url.search}` };
        },
      },
    ],
  };
}
interface Sample {
  /** Server CPU time (user + system, server and its workers) per request, ms. */
  cpuMsPerRequest?: number;
  /** PostgreSQL transactions committed per request: the round trips of a request whose statements are single. */
  xactsPerRequest?: number;
  /**
   * The server's main thread (where Next handles every request), as shares of the wall time: on a CPU, and ready to
   * run but waiting for one (/proc schedstat). Their sum near 1 means the one thread is the limit.
   */
  mainThread?: { onCpu: number; waiting: number };
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function load(url: string, connections: number, extra: Partial<autocannon.Options> = {}): Promise<Sample & { total: number }> {
  const r = await autocannon({ url, connections, duration: SECONDS, ...extra });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, total: r.requests.total };
}

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux
/** CPU time (user + system) of the server process and its children so far, in ms. */
function cpuMs(pid: number): number {
  let ticks = 0;
  for (const p of [pid, ...childPids(pid)]) {
    try {
      const fields = fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the full line)
    } catch {
      /* exited */
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/** Load plus what it cost: server CPU per request and database transactions per request. */
async function measured(pid: number, xacts: () => Promise<number>, url: string, connections: number, extra: Partial<autocannon.Options> = {}): Promise<Sample> {
  const [cpu0, x0, sched0, t0] = [cpuMs(pid), await xacts(), mainThreadSched(pid), performance.now()];
  const s = await load(url, connections, extra);
  const [cpu1, sched1, wallNs] = [cpuMs(pid), mainThreadSched(pid), (performance.now() - t0) * 1e6];
  const mainThread = sched0 && sched1 ? { onCpu: (sched1[0] - sched0[0]) / wallNs, waiting: (sched1[1] - sched0[1]) / wallNs } : undefined;
  // PostgreSQL publishes a backend's counters when it goes idle (at most once a second).
  await new Promise((r) => setTimeout(r, 1200));
  const x1 = await xacts();
  return { ...s, cpuMsPerRequest: (cpu1 - cpu0) / Math.max(1, s.total), xactsPerRequest: (x1 - x0 - 1) / Math.max(1, s.total), mainThread };
}

/** [ns on a CPU, ns runnable but waiting] of the main thread of the server process (the one named next-server). */
function mainThreadSched(pid: number): [number, number] | undefined {
  for (const p of [pid, ...childPids(pid)]) {
    try {
      if (!fs.readFileSync(`/proc/${p}/comm`, "utf8").startsWith("next-server")) continue;
      const [onCpu, waiting] = fs.readFileSync(`/proc/${p}/task/${p}/schedstat`, "utf8").split(" ").map(Number);
      return [onCpu, waiting];
    } catch {
      /* exited */
    }
  }
  return undefined;
}

/** Peak resident memory of the server process and its children (next start forks a worker), in MB. */
function peakMemoryMb(pid: number): number {
  const pids = [pid, ...childPids(pid)];
  let kb = 0;
  for (const p of pids) {
    const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
    kb += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return Math.round(kb / 1024);
}
function childPids(pid: number): number[] {
  try {
    const direct = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return direct.flatMap((c) => [c, ...childPids(c)]);
  } catch {
    return [];
  }
}

export async function run() {
  const stack = await startBenchStack("coachbook-bench-");
  const { database, port, appUrl, cal, env } = stack;
  let server: ChildProcess | undefined;
  let stats: pg.Client | undefined;
  try {
    // The seed (and the Cal.com sync of one coach) run in this process against the same database.
    Object.assign(process.env, env);
    const data = await seedBenchData(createPrismaClient(database.url));

    ensureBuild(env);
    server = await startNext(port, env);
    stats = new pg.Client({ connectionString: database.url });
    await stats.connect();
    const statsClient = stats;
    const xacts = async () => Number((await statsClient.query("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")).rows[0].xact_commit);

    const slotsUrl = (coachId: string, offeringId: string, days: number) =>
      `${appUrl}/api/calcom/available-slots?${new URLSearchParams({ coachId, offeringId, from: data.from.toISOString(), to: new Date(data.from.getTime() + days * 86_400_000).toISOString(), timeZone: "America/New_York" })}`;
    const targets: Target[] = [
      { name: "bare {ok:true}", url: `${appUrl}/api/bare` },
      { name: "fixed 38.8 KB JSON", url: `${appUrl}/api/bare/slots` },
      { name: "slots 60 d, unsynced", url: slotsUrl(data.plain.coachId, data.plain.offeringId, 60), alsoVs: "fixed 38.8 KB JSON" },
      { name: "slots 60 d, unsynced, new window", url: slotsUrl(data.plain.coachId, data.plain.offeringId, 60), alsoVs: "fixed 38.8 KB JSON", everyRequestNew: true },
      { name: "slots 60 d, 12k history, new window", url: slotsUrl(data.history.coachId, data.history.offeringId, 60), alsoVs: "fixed 38.8 KB JSON", everyRequestNew: true },
      { name: "slots 60 d, synced (Cal.com)", url: slotsUrl(data.synced.coachId, data.synced.offeringId, 60), alsoVs: "fixed 38.8 KB JSON" },
      { name: "slots 7 d, unsynced", url: slotsUrl(data.plain.coachId, data.plain.offeringId, 7) },
      { name: "landing page /", url: `${appUrl}/` },
      { name: "coach page /coaches/[slug]", url: `${appUrl}/coaches/${data.plain.slug}` },
    ];
    for (const t of targets) {
      const res = await fetch(t.url);
      const body = await res.text();
      const extra = t.url.includes("available-slots") ? ` source=${(JSON.parse(body) as { source: string }).source} slots=${(JSON.parse(body) as { slots: unknown[] }).slots.length}` : "";
      const gz = await fetch(t.url, { headers: { "accept-encoding": "gzip" } });
      await gz.arrayBuffer();
      console.log(`${t.name.padEnd(36)} ${res.status} ${(body.length / 1024).toFixed(1)} KB (content-encoding with gzip asked: ${gz.headers.get("content-encoding") ?? "none"}; cache-control: ${res.headers.get("cache-control") ?? "-"})${extra}`);
    }
    console.log(`machine: ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, Node ${process.version}; ${ROUNDS} rounds x ${SECONDS} s per target, ${CONNECTIONS} connections`);
    for (const t of targets) await load(t.url, CONNECTIONS, { duration: 3, ...requestsOf(t) }); // warm-up (JIT)

    const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
    const ratios = new Map<string, number[]>();
    const pushRatio = (key: string, value: number) => ratios.set(key, [...(ratios.get(key) ?? []), value]);
    for (let round = 0; round < ROUNDS; round++) {
      const thisRound = new Map<string, Sample>();
      for (const t of targets) {
        const s = await measured(server.pid!, xacts, t.url, CONNECTIONS, requestsOf(t));
        samples.get(t.name)!.push(s);
        thisRound.set(t.name, s);
      }
      const bare = thisRound.get("bare {ok:true}")!.rps;
      for (const t of targets) {
        pushRatio(`${t.name} / bare`, thisRound.get(t.name)!.rps / bare);
        if (t.alsoVs) pushRatio(`${t.name} / ${t.alsoVs}`, thisRound.get(t.name)!.rps / thisRound.get(t.alsoVs)!.rps);
      }
      // Growth on the full read (no kept answers): a coach with 12k bookings of history against one without.
      pushRatio("growth: 12k history / no history (new windows)", thisRound.get("slots 60 d, 12k history, new window")!.rps / thisRound.get("slots 60 d, unsynced, new window")!.rps);
    }

    // create-booking at 50 connections, alternating with the bare route at the same concurrency. Every request
    // targets a different free slot of a different student-free coach week, so each one is a real hold + Checkout.
    const cookie = await signIn(appUrl, data.studentEmail, data.studentPassword);
    const writeSamples: Sample[] = [];
    let next = 0;
    const createBooking: Partial<autocannon.Options> = {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ offeringId: data.write.offeringId, start: data.write.starts[next++ % data.write.starts.length].toISOString(), timeZone: "Europe/London" }) }) }],
    };
    // Warm-up until the server's cost per hold settles. A cold `next start` under this load costs 6-7 ms of CPU per
    // hold in its first 5 s, 4.2-4.5 in the next 5 s, and settles at 3.1-3.5 ms after about 15 s; a second server
    // started cold on the same database after 11,000 holds did the same (7.1 -> 4.5 -> 3.5 -> 3.1 ms), so it is the
    // process warming up (JIT), not the data. With 2 s of warm-up the rounds below measured a path still warming.
    await load(`${appUrl}/api/calcom/create-booking`, WRITE_CONNECTIONS, { ...createBooking, duration: 15 });
    for (let round = 0; round < ROUNDS; round++) {
      const bare = await load(`${appUrl}/api/bare`, WRITE_CONNECTIONS);
      const w = await measured(server.pid!, xacts, `${appUrl}/api/calcom/create-booking`, WRITE_CONNECTIONS, createBooking);
      writeSamples.push(w);
      pushRatio("create-booking (50 conn) / bare (50 conn)", w.rps / bare.rps);
    }
    const p95 = await latencyP95(appUrl, cookie, data, () => next++);

    console.log("");
    console.log(`${"request".padEnd(36)} ${"req/s".padStart(7)} ${"p50".padStart(6)} ${"p99".padStart(6)} ${"CPU ms/req".padStart(10)} ${"xacts/req".padStart(9)}  non-2xx`);
    for (const t of targets) {
      const s = samples.get(t.name)!;
      console.log(`${t.name.padEnd(36)} ${median(s.map((x) => x.rps)).toFixed(0).padStart(7)} ${String(median(s.map((x) => x.p50))).padStart(6)} ${String(median(s.map((x) => x.p99))).padStart(6)} ${median(s.map((x) => x.cpuMsPerRequest ?? 0)).toFixed(2).padStart(10)} ${median(s.map((x) => x.xactsPerRequest ?? 0)).toFixed(2).padStart(9)}  ${s.reduce((a, x) => a + x.non2xx + x.errors, 0)}`);
    }
    console.log(`${"create-booking, 50 connections".padEnd(36)} ${median(writeSamples.map((x) => x.rps)).toFixed(0).padStart(7)} ${String(median(writeSamples.map((x) => x.p50))).padStart(6)} ${String(median(writeSamples.map((x) => x.p99))).padStart(6)}  ${writeSamples.reduce((a, x) => a + x.non2xx + x.errors, 0)}  (p95 ${p95.p95} ms; CPU ${median(writeSamples.map((x) => x.cpuMsPerRequest ?? 0)).toFixed(2)} ms/req, ${median(writeSamples.map((x) => x.xactsPerRequest ?? 0)).toFixed(2)} xacts/req)`);
    const threads = writeSamples.map((x) => x.mainThread).filter((x) => x !== undefined);
    console.log(`  p95 run (${P95_SECONDS} s, every response's latency): ${p95.rps.toFixed(0)} req/s, p50 ${p95.p50} / p90 ${p95.p90} / p95 ${p95.p95} / p99 ${p95.p99} ms, non-2xx ${p95.non2xx}`);
    if (threads.length) console.log(`  server main thread during create-booking: on a CPU ${median(threads.map((x) => x.onCpu)).toFixed(2)} of the wall time, ready but waiting for a CPU ${median(threads.map((x) => x.waiting)).toFixed(2)}`);
    if (next > data.write.starts.length) console.log(`(create-booking ran out of distinct slots after ${data.write.starts.length}; later requests were 409s)`);
    console.log("\nratios (median of per-round ratios):");
    for (const [key, values] of ratios) console.log(`  ${key.padEnd(64)} ${median(values).toFixed(3)}   rounds: ${values.map((v) => v.toFixed(3)).join(" ")}`);
    await databaseGrowth(statsClient, data);
    console.log(`\npeak server memory (VmHWM, server + workers): ${peakMemoryMb(server.pid!)} MB`);
  } finally {
    server?.kill("SIGTERM");
    await stats?.end().catch(() => undefined);
    await stack.stop();
  }
}

/**
 * p95 of create-booking at 50 connections from one more run of P95_SECONDS, exact: the latency of every response
 * is kept (autocannon's summary has p90 and p97.5 but no p95; earlier passes interpolated between them).
 */
const P95_SECONDS = Number(process.env.BENCH_P95_SECONDS ?? 10);
async function latencyP95(appUrl: string, cookie: string, data: Awaited<ReturnType<typeof seedBenchData>>, nextIndex: () => number) {
  const latencies: number[] = [];
  const options: autocannon.Options = {
    url: `${appUrl}/api/calcom/create-booking`,
    connections: WRITE_CONNECTIONS,
    duration: P95_SECONDS,
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ offeringId: data.write.offeringId, start: data.write.starts[nextIndex() % data.write.starts.length].toISOString(), timeZone: "Europe/London" }) }) }],
  };
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on("response", (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN);
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), rps: r.requests.average, non2xx: r.non2xx + r.errors };
}

/**
 * The busy-time read on its own, in PostgreSQL: the history coach (12,060 bookings) against the plain one (60),
 * same 62-day window. Reports the plan's index, rows read and execution time (median of 20 EXPLAIN ANALYZE runs).
 */
async function databaseGrowth(client: pg.Client, data: Awaited<ReturnType<typeof seedBenchData>>) {
  const from = new Date(data.from.getTime() - 86_400_000);
  const to = new Date(data.from.getTime() + 61 * 86_400_000);
  console.log("\nbusy-time read in PostgreSQL (EXPLAIN ANALYZE, median of 20):");
  const predicates = {
    "range overlap (now)": `tstzrange(b.blocked_from, b.blocked_until, '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')`,
    "column compare (before)": `b.blocked_from < $3::timestamptz AND b.blocked_until > $2::timestamptz`,
  };
  for (const [form, predicate] of Object.entries(predicates))
  for (const [name, coachId] of [[`${form}, no history`, data.plain.coachId], [`${form}, 12k history`, data.history.coachId]] as const) {
    const times: number[] = [];
    let plan = "";
    for (let i = 0; i < 20; i++) {
      const rows = (
        await client.query(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT json_agg(json_build_array(b.blocked_from, b.blocked_until)) FROM bookings b
           WHERE b.coach_id = $1 AND b.status IN ('PENDING_PAYMENT', 'CONFIRMED')
             AND ${predicate}`,
          [coachId, from, to],
        )
      ).rows as { "QUERY PLAN": [{ "Execution Time": number; Plan: { Plans?: { "Index Name"?: string; "Node Type": string; "Actual Rows": number; "Shared Hit Blocks": number }[] } }] }[];
      const top = rows[0]["QUERY PLAN"][0];
      times.push(top["Execution Time"]);
      const scan = top.Plan.Plans?.[0];
      plan = scan ? `${scan["Node Type"]}${scan["Index Name"] ? ` on ${scan["Index Name"]}` : ""}, ${scan["Actual Rows"]} rows, ${scan["Shared Hit Blocks"]} buffers` : "?";
    }
    console.log(`  ${name.padEnd(40)} ${median(times).toFixed(3)} ms  (${plan})`);
  }
}
