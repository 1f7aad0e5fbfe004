/**
 * Node.js flags of the production server (`npm start`, scripts/run-app.ts), and of the benchmark's servers
 * (bench/support.ts startNext), which must measure what production runs.
 *
 * --max-semi-space-size=64 (MB; Node 20's default is 16): a create-booking allocates about 440 KB (V8's sampling
 * heap profiler with collected objects kept: promise hooks of AsyncLocalStorage, Next's routing and web streams,
 * pg's result parsing), and with 50 requests in flight their state outlives a 16 MB young generation. Measured
 * (perf_hooks "gc" entries, 5 s windows at 330-480 holds/s): 55-77 scavenges taking 390-470 ms per 5 s, against
 * 17-20 taking about 200 ms with 64 MB: the main thread spends about 5% less of its time in GC, and fewer
 * objects are promoted (a mark-compact every ~15 s instead of ~10 s). The price is memory: peak RSS about 120 MB
 * higher (docs/BENCHMARKS.md, eighth pass). Deployments that start `next start` themselves should pass it too
 * (docs/SCALING.md).
 */
export const PRODUCTION_NODE_FLAGS = ["--max-semi-space-size=64"];
