import { AsyncLocalStorage } from "node:async_hooks";
import { renderRequestHeader } from "./next-render-request";
import { isSaneRequestId } from "./request-id";

/**
 * Per-request context: every log line written while a request is handled carries its id (lib/log.ts mixin).
 * API routes open it (lib/http/route.ts); pages do not need to: their id comes from the `x-request-id` request
 * header that proxy.ts sets (the same id it returns as X-Request-Id), read from the rendering request.
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The id of the request being handled: an API route's context, else the page being rendered, else none. */
export function currentRequestId(): string | undefined {
  const own = storage.getStore()?.requestId;
  if (own) return own;
  const fromRender = renderRequestHeader("x-request-id");
  return fromRender && isSaneRequestId(fromRender) ? fromRender : undefined;
}

export { requestIdFrom } from "./request-id";

export function withRequestContext<T>(context: RequestContext, run: () => Promise<T>): Promise<T> {
  return storage.run(context, run);
}

/**
 * Runs `run` with the current request's id in our own context. For Next's data cache scopes (`unstable_cache`,
 * "use cache"): they hide the request from the code inside, so lines written there (on a cache miss) would
 * lose the id; our AsyncLocalStorage is not hidden, so the id is carried across.
 */
export function keepRequestId<T>(run: () => Promise<T>): Promise<T> {
  const requestId = currentRequestId();
  return requestId && !storage.getStore() ? storage.run({ requestId }, run) : run();
}
