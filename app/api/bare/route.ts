import { benchRoutesEnabled, notFound } from "@/lib/bench/reference";

/** Benchmark reference: the cheapest JSON answer the framework can give (404 unless BENCH_ROUTES=1). */
export function GET() {
  return benchRoutesEnabled() ? Response.json({ ok: true }) : notFound();
}
