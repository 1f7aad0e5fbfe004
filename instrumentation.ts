import type { Instrumentation } from "next";

/** Next.js start-up hook: the Node.js server process also runs the background worker (hold expiry, outbox jobs). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { registerNode } = await import("./instrumentation-node");
  await registerNode();
}

/** Errors that escape a page render: one pino line with the request id, route and stack (lib/http/render-errors.ts). */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logRequestError } = await import("@/lib/http/render-errors");
  await logRequestError(error, request, context);
};
