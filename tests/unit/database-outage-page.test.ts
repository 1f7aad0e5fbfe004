import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DATABASE_DOWN_HOLD_MS, databaseDownFor, noteDatabaseUnreachable } from "@/lib/db/outage";
import { logRequestError } from "@/lib/http/render-errors";
import { log } from "@/lib/log";
import { proxy } from "@/proxy";

/** lib/db/outage.ts and proxy.ts: after a request met an unreachable database, pages answer 503 for a few seconds. */
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  noteDatabaseUnreachable(0); // a window that ended long ago
});

const page = (path: string) => proxy(new NextRequest(`http://localhost${path}`));

describe("pages while the database is unreachable", () => {
  it("a render that failed for want of the database opens the window; other render errors do not", async () => {
    vi.spyOn(log, "error").mockImplementation(() => undefined);
    const request = { path: "/student/bookings", method: "GET", headers: {} };
    const context = { routerKind: "App Router", routePath: "/student/bookings", routeType: "render", renderSource: "react-server-components", revalidateReason: undefined } as const;
    await logRequestError(new Error("a bug"), request, context as never);
    expect(databaseDownFor()).toBe(0);
    await logRequestError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED", syscall: "connect", errno: -111, address: "127.0.0.1", port: 5432 }), request, context as never);
    expect(databaseDownFor()).toBeGreaterThan(DATABASE_DOWN_HOLD_MS - 1000);
  });

  it("answers 503 with Retry-After for pages rendered per request, for the window only", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-01T10:00:00Z") });
    noteDatabaseUnreachable();
    const down = await page("/student/bookings");
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe(String(DATABASE_DOWN_HOLD_MS / 1000));
    expect(down.headers.get("cache-control")).toBe("no-store");
    expect(down.headers.get("content-security-policy")).toBeTruthy();
    expect(await down.text()).toMatch(/briefly unavailable/);
    vi.setSystemTime(new Date(Date.now() + DATABASE_DOWN_HOLD_MS - 1500));
    expect((await page("/signin")).headers.get("retry-after")).toBe("2");
    vi.setSystemTime(new Date(Date.now() + 2000));
    expect((await page("/signin")).status).toBe(200); // the window is over: the next request tries again
  });

  it("leaves the pages served from the page cache alone (they need no database)", async () => {
    noteDatabaseUnreachable();
    expect((await page("/coaches/some-coach")).status).toBe(200);
    expect((await page("/")).status).toBe(200);
    expect((await page("/signin")).status).toBe(503);
  });
});
