import fs from "node:fs";
import path from "node:path";
/**
 * `npx tsx bench/profile-tree.ts <file.cpuprofile> [function name prefix...]`: a kept profile (bench/profile.ts) as
 * INCLUSIVE time per function (each sample counted once per distinct function on its stack), and for each prefix
 * given, the call chains leading to it. Self time (bench/profile.ts) says where the CPU is; this says why: it is
 * how the 17.8% "writev" of create-booking was traced to pg submitting the next queued query (the main thread
 * losing its core to the PostgreSQL backend it wakes: docs/BENCHMARKS.md, eighth pass).
 *
 * Env: LAST (seconds at the end of the profile to count, default 14: the measured load, not start-up), TOP (rows).
 */
const [f, ...focus] = process.argv.slice(2);
const p = JSON.parse(fs.readFileSync(f, "utf8"));
const secs = Number(process.env.LAST ?? 14);
const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n: any) => `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url ? path.basename(n.callFrame.url) + ":" + n.callFrame.lineNumber : ""}`;
const incl = new Map<string, number>();
const callers = new Map<string, Map<string, number>>();
let at = p.startTime, total = 0;
const from = p.endTime - secs * 1e6, to = p.endTime - 0.5e6;
p.samples.forEach((id: number, i: number) => {
  at += p.timeDeltas[i] ?? 0;
  if (at < from || at > to) return;
  const dt = p.timeDeltas[i] ?? 0;
  total += dt;
  const seen = new Set<string>();
  let cur: number | undefined = id;
  const chain: string[] = [];
  while (cur !== undefined) { const nm = name(byId.get(cur)); chain.push(nm); if (!seen.has(nm)) { seen.add(nm); incl.set(nm, (incl.get(nm) ?? 0) + dt); } cur = parent.get(cur); }
  for (const fx of focus) { const k = chain.findIndex((c) => c.startsWith(fx)); if (k >= 0) { const key = chain.slice(k + 1, k + 7).join(" < "); const m = callers.get(fx) ?? new Map(); m.set(key, (m.get(key) ?? 0) + dt); callers.set(fx, m); } }
});
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`total ${(total / 1000).toFixed(0)} ms`);
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 80))) console.log(pct(v), k);
for (const [fx, m] of callers) { console.log(`\ncallers of ${fx}:`); for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(pct(v), k); }
