/** Next.js start-up hook: the Node.js server process also runs the background worker (hold expiry, outbox jobs). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  const { startWorker } = await import("@/lib/jobs/worker");
  startWorker();
}
