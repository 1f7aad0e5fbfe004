/**
 * Availability engine benchmark: one coach, 60-day range, 3 ranges a day on every weekday, 300 busy
 * intervals, 30-minute sessions on a 15-minute grid with buffers. Prints median / p95 / mean ms per call.
 * Run: npx tsx bench/availability.bench.ts  (or: npx tsx bench/index.ts availability)
 */
import os from "node:os";
import { pathToFileURL } from "node:url";
import { getAvailableSlots, isSlotBookable, type AvailabilityInput, type TimeInterval } from "@/lib/availability";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Deterministic PRNG (mulberry32) so every run measures the same input. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildBenchInput(): AvailabilityInput {
  const random = rng(42);
  const weeklyRules = [];
  for (let weekday = 0; weekday < 7; weekday++) {
    weeklyRules.push(
      { weekday, startMinute: 8 * 60, endMinute: 11 * 60 },
      { weekday, startMinute: 13 * 60, endMinute: 17 * 60 },
      { weekday, startMinute: 19 * 60, endMinute: 21 * 60 + 30 },
    );
  }
  // The range includes the Europe/Berlin fall-back day (2026-10-25), so the DST path is exercised.
  const from = new Date("2026-09-15T00:00:00Z");
  const to = new Date(from.getTime() + 60 * DAY);
  const busy: TimeInterval[] = [];
  for (let i = 0; i < 300; i++) {
    const start = from.getTime() + Math.floor(random() * 60 * 96) * 15 * MINUTE;
    busy.push({ start: new Date(start - 10 * MINUTE), end: new Date(start + (30 + 5) * MINUTE) });
  }
  return {
    timeZone: "Europe/Berlin",
    weeklyRules,
    dateOverrides: [
      { date: "2026-10-01", startMinute: null, endMinute: null },
      { date: "2026-10-03", startMinute: 10 * 60, endMinute: 12 * 60 },
    ],
    durationMinutes: 30,
    slotIntervalMinutes: 15,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 5,
    minimumNoticeMinutes: 120,
    bookingHorizonDays: 90,
    busy,
    from,
    to,
    now: new Date(from.getTime() - DAY),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export async function run(): Promise<void> {
  const input = buildBenchInput();
  const iterations = 2000;
  let slots = 0;
  for (let i = 0; i < 300; i++) slots = getAvailableSlots(input).length; // warm-up (JIT, Intl formatter cache)
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    getAvailableSlots(input);
    times.push(performance.now() - t0);
  }
  console.log(
    `availability: 60 days × 3 ranges/day, 300 busy, ${slots} slots returned, ${iterations} calls, ` +
      `Node ${process.version}, ${os.availableParallelism()} cores\n` +
      `  getAvailableSlots  ${summary(times)}`,
  );

  // The booking path re-checks one start with isSlotBookable (same rules and busy list).
  const all = getAvailableSlots(input);
  const probes = all.filter((_, i) => i % 7 === 0).map((s) => s.start);
  for (let i = 0; i < 300; i++) isSlotBookable(input, probes[i % probes.length]);
  const single: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    isSlotBookable(input, probes[i % probes.length]);
    single.push(performance.now() - t0);
  }
  console.log(`  isSlotBookable     ${summary(single)}`);
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return (
    `median ${percentile(sorted, 0.5).toFixed(3)} ms  p95 ${percentile(sorted, 0.95).toFixed(3)} ms  ` +
    `mean ${mean.toFixed(3)} ms  max ${sorted[sorted.length - 1].toFixed(3)} ms`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
