/**
 * Reference routes for `npm run bench`: they do no database or session work, so their throughput is the
 * framework's own floor on this machine. Every figure the benchmark reports is a ratio to them, measured in the
 * same run, so a busy shared machine moves both sides alike. They answer 404 unless BENCH_ROUTES=1.
 */
export const benchRoutesEnabled = () => process.env.BENCH_ROUTES === "1";

export const notFound = () => Response.json({ error: { code: "NOT_FOUND", message: "Not found." } }, { status: 404 });

/** A fixed, slot-shaped answer of 38.8 KB (553 one-hour slots over 60 days), the size of a 60-day slot answer. */
let fixed: string | undefined;
export function fixedSlotJson(): string {
  if (fixed) return fixed;
  const day0 = Date.UTC(2026, 11, 1);
  const slots: { start: string; end: string }[] = [];
  for (let day = 0; day < 60; day++) {
    for (let hour = 8; hour < 18 && slots.length < 553; hour++) {
      const start = day0 + day * 86_400_000 + hour * 3_600_000;
      slots.push({ start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() });
    }
  }
  fixed = JSON.stringify({ source: "local", timeZone: "America/New_York", slots });
  return fixed;
}
