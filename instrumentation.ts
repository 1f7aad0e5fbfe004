/** Next.js start-up hook: the Node.js server process also runs the background worker (hold expiry, outbox jobs). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Production refuses to start on a bad configuration (e.g. no APP_URL) rather than fail on the first request.
  if (process.env.NODE_ENV === "production") {
    const { env } = await import("@/lib/env");
    env();
  }
  if (!process.env.DATABASE_URL) return;
  const { startWorker } = await import("@/lib/jobs/worker");
  startWorker();
}
