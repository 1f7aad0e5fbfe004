import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { actAs, caller, jsonRequest } from "../support/session";
import { ACTORS, API_ROUTES, PAGES, buildWorld, type Actor, type PageOutcome, type World } from "../support/security-world";
import { useEmulators } from "../support/emulators";

/**
 * Access-control matrix: every API route and every page, for anonymous, two students, two coaches and an admin.
 * Tables live in tests/support/security-world.ts: a new route or page is one new row there.
 */
// Pages call requirePageUser -> getSessionUser, which reads the session cookie: the test's caller holds a freshly
// issued token instead (its session version is the account's current one; the account read itself stays real).
vi.mock("@/lib/auth/session-token", () => ({
  readSessionToken: async () => {
    if (!caller.current) return null;
    const { db } = await import("@/lib/db/client");
    const account = await db.user.findUnique({ where: { id: caller.current.id }, select: { sessionVersion: true } });
    return { uid: caller.current.id, role: caller.current.role, sv: account?.sessionVersion ?? 0 };
  },
}));

let world: World;
useEmulators({ env: { CALCOM_WEBHOOK_SECRET: "matrix-hook" } });
beforeAll(async () => {
  world = await buildWorld();
});
afterAll(() => actAs(null));

const act = (actor: Actor) => actAs(actor === "anonymous" ? null : world.users[actor]);
export const matrixCells = { api: 0, pages: 0 };

describe("access matrix: API routes", () => {
  it.each(API_ROUTES.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    const handler = await row.handler();
    const seen: Partial<Record<Actor, number>> = {};
    for (const actor of ACTORS) {
      act(actor);
      const body = row.body?.(world);
      const req = jsonRequest(row.path(world), body, { method: row.method });
      const response = await handler(req, { params: Promise.resolve(row.params?.(world) ?? {}) } as never);
      seen[actor] = response.status;
      expect(response.headers.get("x-request-id"), `${row.name} as ${actor}: X-Request-Id`).toBeTruthy();
      const json = await response.json();
      if (response.status >= 400) expect(json, `${row.name} as ${actor}`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      matrixCells.api++;
    }
    expect(seen).toEqual(row.expect);
  });
});

async function pageOutcome(row: (typeof PAGES)[number]): Promise<PageOutcome> {
  const page = await row.page();
  const props = row.props(world);
  try {
    await (page as (p: unknown) => Promise<unknown>)({ params: Promise.resolve(props.params ?? {}), searchParams: Promise.resolve(props.searchParams ?? {}) });
    return "ok";
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? "");
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return "notFound";
    if (digest.startsWith("NEXT_REDIRECT")) {
      const location = digest.split(";")[2] ?? "";
      return location.startsWith("/signin") ? "signin" : location.startsWith("/forbidden") ? "forbidden" : "home";
    }
    throw error;
  }
}

describe("access matrix: pages", () => {
  it.each(PAGES.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    const seen: Partial<Record<Actor, PageOutcome>> = {};
    for (const actor of ACTORS) {
      act(actor);
      seen[actor] = await pageOutcome(row);
      matrixCells.pages++;
    }
    expect(seen).toEqual(row.expect);
  });

  it("checked every cell", () => {
    expect(matrixCells.api).toBe(API_ROUTES.length * ACTORS.length);
    expect(matrixCells.pages).toBe(PAGES.length * ACTORS.length);
    console.log(`access matrix: ${matrixCells.api} API cells + ${matrixCells.pages} page cells = ${matrixCells.api + matrixCells.pages}`);
  });
});
