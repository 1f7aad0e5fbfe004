import { benchRoutesEnabled, fixedSlotJson, notFound } from "@/lib/bench/reference";

/** Benchmark reference: a fixed 38.8 KB slot-shaped JSON answer, no database work (404 unless BENCH_ROUTES=1). */
export function GET() {
  if (!benchRoutesEnabled()) return notFound();
  return new Response(fixedSlotJson(), { headers: { "content-type": "application/json" } });
}
