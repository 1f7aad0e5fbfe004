import { AsyncLocalStorage } from "node:async_hooks";

/** Per-request context: every log line written while a request is handled carries its id (lib/log.ts mixin). */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export { requestIdFrom } from "./request-id";

export function withRequestContext<T>(context: RequestContext, run: () => Promise<T>): Promise<T> {
  return storage.run(context, run);
}
