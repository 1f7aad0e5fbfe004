// First, as in `next start`: Next's server exposes AsyncLocalStorage on globalThis before its storages are made.
import "next/dist/server/node-environment-baseline.js";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external.js";
import { createRequestStoreForRender } from "next/dist/server/async-storage/request-store.js";
import { describe, expect, it } from "vitest";
import { onRequestError } from "@/instrumentation";
import { currentRequestId, keepRequestId, withRequestContext } from "@/lib/http/request-context";
import { renderRequestHeader } from "@/lib/http/next-render-request";
import { log, logDestination } from "@/lib/log";

/**
 * Pins the Next.js internal that lib/http/next-render-request.ts reads: if a Next upgrade renames the storage or
 * stops keeping the request's headers on a render's store, these fail (the app itself would silently log page
 * lines without an id). The built app is checked end to end in tests/browser/page-request-ids.test.ts.
 */
type Store = Parameters<typeof workUnitAsyncStorage.run>[0];

/** A request store made by Next's own factory, the way app-render makes one for a page render. */
function renderStore(headers: Record<string, string>): Store {
  const req = { headers } as unknown as Parameters<typeof createRequestStoreForRender>[0];
  return createRequestStoreForRender(req, undefined, { pathname: "/coaches/x", search: "" }, {}, { tags: [], expirationsByCacheKind: new Map() } as never, undefined, undefined, false, undefined, null, null, undefined);
}

async function captureLines(run: () => unknown | Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const original = logDestination.write;
  logDestination.write = (line) => void lines.push(line);
  try {
    await run();
  } finally {
    logDestination.write = original;
  }
  return lines.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

describe("the Next.js internal behind page request ids", () => {
  it("Next's work-unit storage is an AsyncLocalStorage and a render's request store keeps the request headers", () => {
    expect(typeof workUnitAsyncStorage.run).toBe("function");
    expect(typeof workUnitAsyncStorage.getStore).toBe("function");
    const store = renderStore({ "x-request-id": "req-from-proxy-1" });
    expect(store.type).toBe("request");
    workUnitAsyncStorage.run(store, () => {
      expect(renderRequestHeader("x-request-id")).toBe("req-from-proxy-1");
      expect(currentRequestId()).toBe("req-from-proxy-1");
    });
  });

  it("outside any request there is no id, silently", () => {
    expect(renderRequestHeader("x-request-id")).toBeUndefined();
    expect(currentRequestId()).toBeUndefined();
  });

  it("a store without headers (prerender, a data-cache scope) gives no id; a hostile header is ignored", () => {
    workUnitAsyncStorage.run({ type: "unstable-cache" } as unknown as Store, () => expect(currentRequestId()).toBeUndefined());
    workUnitAsyncStorage.run({ type: "prerender" } as unknown as Store, () => expect(currentRequestId()).toBeUndefined());
    workUnitAsyncStorage.run(renderStore({ "x-request-id": "bad id\nwith a newline" }), () => expect(currentRequestId()).toBeUndefined());
  });
});

describe("log lines written while a page renders carry the page request's id", () => {
  it("a line from domain code during a render, after awaits, has requestId", async () => {
    const lines = await captureLines(() =>
      workUnitAsyncStorage.run(renderStore({ "x-request-id": "page-req-0001" }), async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.warn("Cal.com slots unavailable, using the local engine", { coachId: "c1" });
      }),
    );
    expect(lines).toEqual([expect.objectContaining({ message: "Cal.com slots unavailable, using the local engine", requestId: "page-req-0001" })]);
  });

  it("an API route's own context wins over the page store", async () => {
    const lines = await captureLines(() =>
      workUnitAsyncStorage.run(renderStore({ "x-request-id": "page-req-0002" }), () => withRequestContext({ requestId: "api-req-0002" }, async () => log.info("inside a route"))),
    );
    expect(lines[0].requestId).toBe("api-req-0002");
  });

  it("keepRequestId carries the id into a data-cache scope that hides the request", async () => {
    const lines = await captureLines(() =>
      workUnitAsyncStorage.run(renderStore({ "x-request-id": "page-req-0003" }), () =>
        keepRequestId(async () => {
          // What unstable_cache does on a miss: run the read under its own store, without the request's headers.
          await workUnitAsyncStorage.run({ type: "unstable-cache" } as unknown as Store, async () => log.warn("read inside the cache"));
        }),
      ),
    );
    expect(lines).toEqual([expect.objectContaining({ message: "read inside the cache", requestId: "page-req-0003" })]);
  });
});

describe("onRequestError (instrumentation.ts)", () => {
  const context = { routerKind: "App Router", routePath: "/coaches/[slug]", routeType: "render", renderSource: "react-server-components", revalidateReason: undefined } as const;

  it("logs an escaped render error once through pino, with the request id, route, path without query, digest and stack", async () => {
    process.env.NEXT_RUNTIME = "nodejs";
    const error = Object.assign(new Error("render exploded", { cause: new Error("the cause") }), { digest: "12345" });
    const lines = await captureLines(() => onRequestError(error, { path: "/coaches/ada?token=secret-value", method: "GET", headers: { "x-request-id": "page-req-0004" } }, context));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", message: "unhandled error while rendering", requestId: "page-req-0004", method: "GET", path: "/coaches/ada", route: "/coaches/[slug]", routeType: "render", digest: "12345" });
    const serialized = JSON.stringify(lines[0].error);
    expect(serialized).toContain("render exploded");
    expect(serialized).toContain("the cause");
    expect(serialized).toMatch(/"stack":/);
  });

  it("the same error reported twice for one request (two components awaited one failed read) is one line", async () => {
    process.env.NEXT_RUNTIME = "nodejs";
    const error = Object.assign(new Error("database gone"), { digest: "777" });
    const request = { path: "/student/bookings/b1", method: "GET", headers: { "x-request-id": "page-req-0777" } };
    const lines = await captureLines(async () => {
      await onRequestError(error, request, context);
      await onRequestError(error, request, context);
      // Another request's error with the same digest is its own line.
      await onRequestError(error, { ...request, headers: { "x-request-id": "page-req-0778" } }, context);
    });
    expect(lines.map((l) => l.requestId)).toEqual(["page-req-0777", "page-req-0778"]);
  });

  it("an id that is not a sane token is left out rather than logged", async () => {
    process.env.NEXT_RUNTIME = "nodejs";
    const lines = await captureLines(() => onRequestError(new Error("x"), { path: "/", method: "GET", headers: { "x-request-id": ["<script>"] } }, context));
    expect(lines[0]).not.toHaveProperty("requestId");
  });
});
