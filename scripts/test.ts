/**
 * `npm test`: type-check, then every test tier in order (unit, integration, browser), each with its own
 * count. Fails if any tier fails, runs no test, or skips one (a skipped test is not a passing one).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureChromium } from "../tests/support/chromium";

const tiers = (process.env.TEST_TIERS ?? "unit,integration,browser").split(",");
const outDir = path.resolve("test-results");
fs.mkdirSync(outDir, { recursive: true });
const vitest = path.resolve("node_modules/vitest/vitest.mjs");

function run(label: string, args: string[]) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  return { status: result.status ?? 1, seconds: (Date.now() - started) / 1000 };
}

// The browser tier needs a Chromium: find it, or install Debian's where we can, before anything slow runs.
if (tiers.includes("browser")) {
  try {
    ensureChromium();
  } catch (error) {
    console.error(`\n✗ ${(error as Error).message}`);
    process.exit(1);
  }
}

// Route types that `next build` generated for an older tree (a moved or deleted page) would fail the type-check
// with errors about files that no longer exist; the browser tier's build writes them afresh.
for (const dir of [".next/types", ".next/dev/types"]) fs.rmSync(path.resolve(dir), { recursive: true, force: true });

const typecheck = run("typecheck (tsc --noEmit)", [path.resolve("node_modules/typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"]);
if (typecheck.status !== 0) {
  console.error("\nType errors: fix them before the tests run.");
  process.exit(1);
}

interface Summary { tier: string; passed: number; failed: number; skipped: number; seconds: number; status: number }
const summaries: Summary[] = [];
for (const tier of tiers) {
  const report = path.join(outDir, `${tier}.json`);
  fs.rmSync(report, { force: true });
  const { status, seconds } = run(`${tier} tests`, [vitest, "run", "--project", tier, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  let passed = 0, failed = 0, skipped = 0;
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, "utf8"));
    passed = json.numPassedTests;
    failed = json.numFailedTests;
    skipped = json.numPendingTests + json.numTodoTests;
  }
  summaries.push({ tier, passed, failed, skipped, seconds, status });
  if (status !== 0 || failed > 0) break;
}

console.log("\nTier          passed  failed  skipped  time");
for (const s of summaries) console.log(`${s.tier.padEnd(12)}  ${String(s.passed).padStart(6)}  ${String(s.failed).padStart(6)}  ${String(s.skipped).padStart(7)}  ${s.seconds.toFixed(1)} s`);
const total = summaries.reduce((acc, s) => ({ passed: acc.passed + s.passed, failed: acc.failed + s.failed, skipped: acc.skipped + s.skipped }), { passed: 0, failed: 0, skipped: 0 });
const problems: string[] = [];
for (const s of summaries) {
  // Both checks: a runner that exits 0 with failed tests (as seen once with an error thrown after the run) still fails.
  if (s.status !== 0 || s.failed > 0) problems.push(`${s.tier} tier failed`);
  if (s.passed === 0) problems.push(`${s.tier} tier ran no test`);
  if (s.skipped > 0) problems.push(`${s.tier} tier skipped ${s.skipped} test(s)`);
}
if (summaries.length < tiers.length) problems.push(`tiers not run: ${tiers.slice(summaries.length).join(", ")}`);
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
if (problems.length) {
  console.error(`\n✗ ${problems.join("; ")}`);
  process.exit(1);
}
