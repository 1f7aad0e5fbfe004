/**
 * The Node.js half of instrumentation.ts, imported only when NEXT_RUNTIME is "nodejs" (the pattern of Next's
 * instrumentation docs): Turbopack also compiles instrumentation.ts for the Edge runtime, and `process.exit` there
 * made every `next build` and `next dev` print "Ecmascript file had an error".
 */
export async function registerNode() {
  // Production refuses to start on a bad configuration (e.g. no APP_URL) rather than fail on the first request.
  // (Next.js would otherwise keep serving and answer every request with a 500.)
  if (process.env.NODE_ENV === "production") {
    const { env, EnvError } = await import("@/lib/env");
    try {
      env();
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      console.error(error.message);
      process.exit(1);
    }
  }
  if (!process.env.DATABASE_URL) return;
  const { startWorker } = await import("@/lib/jobs/worker");
  startWorker();
}
