import type { Instrumentation } from "next";

/** Next.js start-up hook: the Node.js server process also runs the background worker (hold expiry, outbox jobs). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
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

/** Errors that escape a page render: one pino line with the request id, route and stack (lib/http/render-errors.ts). */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logRequestError } = await import("@/lib/http/render-errors");
  await logRequestError(error, request, context);
};
