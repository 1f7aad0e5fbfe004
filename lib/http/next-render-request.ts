import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external.js";

/**
 * The ONE place that reads a Next.js internal (pinned by tests/unit/next-render-request.test.ts, which fails if
 * Next changes it): the headers of the request whose page is rendering right now, read synchronously.
 *
 * Why an internal: log lines are written synchronously from domain code (lib/) that knows nothing about the page
 * calling it, and Next offers no public synchronous request context. `headers()` from next/headers is async and
 * would also make every page that logs dynamic (and throw while prerendering). Next keeps the current request in
 * an AsyncLocalStorage ("work unit" store) shared by every bundle of the process; @sentry/nextjs reads the same one.
 *
 * Only a live request has headers (store type "request"; "prerender-runtime" and "private-cache" copy them).
 * Prerendering at build time, ISR revalidation in the background, `unstable_cache` / "use cache" scopes (which
 * hide the request on purpose) and code outside Next (scripts, the job worker, tests) have none: the answer is
 * then undefined, and so is anything unexpected (a renamed export, a changed store shape). Never throws.
 */
export function renderRequestHeader(name: string): string | undefined {
  try {
    const store = workUnitAsyncStorage?.getStore?.() as { headers?: unknown } | undefined;
    const headers = store && "headers" in store ? store.headers : undefined;
    if (!headers || typeof (headers as Headers).get !== "function") return undefined;
    return (headers as Headers).get(name) ?? undefined;
  } catch {
    return undefined;
  }
}
