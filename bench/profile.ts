/**
 * `npx tsx bench/profile.ts [create-booking|slots|landing|coach-page]`: a V8 CPU profile of the built server under
 * load on one request kind, summarised as the functions and packages with the most self time. The same set-up as
 * the HTTP benchmark (embedded PostgreSQL, Stripe and Cal.com emulators in this process, `next start`), and the
 * raw `.cpuprofile` is kept (open it in Chrome DevTools) under test-results/profiles/.
 *
 * Env: BENCH_SECONDS (load duration, default 8), BENCH_WARMUP_SECONDS (load before it, not profiled; default 15 for
 * create-booking, 3 otherwise), BENCH_WRITE_CONNECTIONS / BENCH_CONNECTIONS as in http.bench.ts, BENCH_READS_FIRST=1 serves
 * 70 s of page and slot reads before the warm-up (bench/support.ts serveReads).
 */
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { createPrismaClient } from "@/lib/db/client";
import { seedBenchData } from "./seed";
import { ensureBuild, serveReads, signIn, startBenchStack, startNext } from "./support";

const kind = process.argv[2] ?? "create-booking";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const outDir = path.resolve("test-results/profiles");

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number }

/**
 * Self time per function and per package (node_modules/<name>, or "app" / "node:" / "(program)" / "(gc)").
 * `window` (microseconds on the monotonic clock, which V8's profile timestamps and process.hrtime share) keeps only
 * the samples taken under the measured load: start-up, sign-in and shutdown would otherwise take a quarter.
 */
export function summarise(profile: Profile, top = 25, window?: { fromUs: number; toUs: number }): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const url = frame.url;
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith("node:") ? "node:" + url.slice(5).split("/")[0] : url ? (url.includes("/.next/") ? "app (.next)" : "other") : frame.functionName);
    const fn = `${frame.functionName || "(anonymous)"} ${url ? path.basename(url) + ":" + frame.lineNumber : ""} [${pkg}]`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`total sampled: ${(total / 1000).toFixed(0)} ms`, "", "by package (self time):"];
  for (const [pkg, us] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${pct(us)}  ${pkg}`);
  lines.push("", "by function (self time):");
  for (const [fn, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${fn}`);
  return lines.join("\n");
}

async function main() {
  const stack = await startBenchStack("coachbook-profile-");
  const { database, port, appUrl, env } = stack;
  const profDir = path.join(stack.tmp, "prof");
  fs.mkdirSync(profDir);
  try {
    Object.assign(process.env, env);
    const data = await seedBenchData(createPrismaClient(database.url));
    ensureBuild(env);
    // (--cpu-prof is refused in NODE_OPTIONS, so it goes on the command line; a forked worker would not inherit it.)
    const server = await startNext(port, env, ["--cpu-prof", `--cpu-prof-dir=${profDir}`]);
    const cookie = await signIn(appUrl, data.studentEmail, data.studentPassword);
    if (process.env.BENCH_READS_FIRST === "1") await serveReads(appUrl, data);
    let next = 0;
    const slots = `${appUrl}/api/calcom/available-slots?${new URLSearchParams({ coachId: data.plain.coachId, offeringId: data.plain.offeringId, from: data.from.toISOString(), to: new Date(data.from.getTime() + 60 * 86_400_000).toISOString(), timeZone: "America/New_York" })}`;
    const options: autocannon.Options =
      kind === "create-booking"
        ? {
            url: `${appUrl}/api/calcom/create-booking`,
            connections: Number(process.env.BENCH_WRITE_CONNECTIONS ?? 50),
            method: "POST",
            headers: { "content-type": "application/json", cookie },
            requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ offeringId: data.write.offeringId, start: data.write.starts[next++ % data.write.starts.length].toISOString(), timeZone: "Europe/London" }) }) }],
          }
        : { url: kind === "slots" ? slots : kind === "landing" ? `${appUrl}/` : `${appUrl}/coaches/${data.plain.slug}`, connections: Number(process.env.BENCH_CONNECTIONS ?? 10) };
    // Warm-up: a cold server needs about 15 s of create-booking load before its cost per request settles (JIT;
    // docs/BENCHMARKS.md, fifth pass). Profiling earlier shows the warming, not the steady state.
    await autocannon({ ...options, duration: Number(process.env.BENCH_WARMUP_SECONDS ?? (kind === "create-booking" ? 15 : 3)) });
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const result = await autocannon({ ...options, duration: SECONDS });
    const window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
    console.log(`${kind}: ${result.requests.total} requests, ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`);
    server.kill("SIGTERM"); // Next shuts down with process.exit, which writes the profile
    for (let i = 0; i < 100 && !fs.readdirSync(profDir).some((f) => f.endsWith(".cpuprofile")); i++) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1000));
    fs.mkdirSync(outDir, { recursive: true });
    for (const file of fs.readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"))) {
      const profile = JSON.parse(fs.readFileSync(path.join(profDir, file), "utf8")) as Profile;
      const kept = path.join(outDir, `${kind}-${file}`);
      fs.copyFileSync(path.join(profDir, file), kept);
      console.log(`\n=== ${path.relative(process.cwd(), kept)} ===\n${summarise(profile, 40, window)}`);
    }
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("profile.ts")) await main();
