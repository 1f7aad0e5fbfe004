import type { Instrumentation } from "next";
import { isDatabaseUnreachable } from "@/lib/db/errors";
import { noteDatabaseUnreachable } from "@/lib/db/outage";
import { log } from "@/lib/log";
import { isSaneRequestId } from "./request-id";

/**
 * Next's `onRequestError` hook (instrumentation.ts): an error that escaped a page render (or a server action) is
 * written through pino as one error line with the stack, the request's id (the `x-request-id` proxy.ts put on the
 * request, also returned as X-Request-Id), the path and the route: a line the logs can be searched by. API routes
 * never get here: the route wrapper answers every error.
 * Not called for notFound() and redirect(), which are not errors.
 */
export const logRequestError: Instrumentation.onRequestError = (error, request, context) => {
  // The database is gone: the next pages answer 503 from proxy.ts for a few seconds (lib/db/outage.ts).
  if (isDatabaseUnreachable(error)) noteDatabaseUnreachable();
  const header = request.headers["x-request-id"];
  const given = Array.isArray(header) ? header[0] : header;
  const digest = error && typeof error === "object" && "digest" in error ? String((error as { digest: unknown }).digest) : undefined;
  // Next reports an error once per place it surfaced: one rejected read used by two components of the same render
  // comes back twice with the same digest. One line per error and request is enough.
  if (digest && alreadyLogged(`${given ?? ""} ${digest}`)) return;
  log.error("unhandled error while rendering", {
    ...(given && isSaneRequestId(given) ? { requestId: given } : {}),
    method: request.method,
    path: request.path.split("?")[0],
    route: context.routePath,
    routeType: context.routeType,
    renderSource: context.renderSource,
    revalidateReason: context.revalidateReason,
    digest,
    error,
  });
};

// The last few (request id, digest) pairs logged; bounded, and only ever used to drop an immediate repeat.
const recent: string[] = [];
function alreadyLogged(key: string): boolean {
  if (recent.includes(key)) return true;
  recent.push(key);
  if (recent.length > 100) recent.shift();
  return false;
}
