import { vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";

/**
 * Route tests run handlers outside Next's request scope, where next-auth cannot read cookies; they set the
 * caller here instead. Real sign-in (cookies, JWT) is covered by the browser tier.
 */
export const caller: { current: SessionUser | null } = { current: null };

vi.mock("@/lib/auth/session", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/session")>();
  return {
    ...original,
    getSessionUser: async () => caller.current,
    // routeWithAccountRead (create-booking): the caller's token as if freshly issued (its session version is the
    // account's current one); the account itself is then read and judged for real by the handler's read.
    readSessionClaims: async () => {
      if (!caller.current) return null;
      const { db } = await import("@/lib/db/client");
      const account = await db.user.findUnique({ where: { id: caller.current.id }, select: { sessionVersion: true } });
      return { uid: caller.current.id, role: caller.current.role, sv: account?.sessionVersion ?? 0 };
    },
  };
});

export function actAs(user: SessionUser | null) {
  caller.current = user;
}

export function jsonRequest(url: string, body?: unknown, init: RequestInit = {}) {
  const { NextRequest } = require("next/server") as typeof import("next/server");
  return new NextRequest(new URL(url, "http://localhost"), {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  } as ConstructorParameters<typeof NextRequest>[1]);
}

export const noParams = { params: Promise.resolve({}) } as { params: Promise<never> };
