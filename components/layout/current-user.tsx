"use client";

import { usePathname } from "next/navigation";
import { useEffect, useSyncExternalStore } from "react";

export interface CurrentUser {
  name: string;
  role: "COACH" | "STUDENT" | "ADMIN";
  timeZone: string;
}

/**
 * The signed-in user for the header and footer, asked from /api/me in the browser. The root layout must not read
 * the session on the server: that would make every page dynamic and keep the public pages out of the page cache.
 * The server keeps guarding pages itself (proxy.ts and the area layouts).
 *
 * A small store outside React, not a context provider around the page: a context change above the page would make
 * React throw away Suspense boundaries of the page that are still streaming in (they cannot hydrate under a changed
 * context) and render them again on the client. Only the header and footer subscribe.
 *
 * undefined while the first answer is on its way (the header shows its neutral state), null when signed out.
 */
let current: CurrentUser | null | undefined = undefined;
const listeners = new Set<() => void>();
let inFlight: AbortController | null = null;

function publish(user: CurrentUser | null) {
  current = user;
  for (const listener of listeners) listener();
}

/** Asks the server again (after a navigation, or after the profile form saved a new name or zone). */
export function refreshCurrentUser(): void {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  fetch("/api/me", { signal: controller.signal, cache: "no-store" })
    .then((response) => (response.ok ? response.json() : { user: null }))
    .then((body: { user: CurrentUser | null }) => publish(body.user ?? null))
    .catch((error: unknown) => {
      // A newer request replaced this one: it answers. Otherwise show the signed-out header.
      if (!(error instanceof DOMException && error.name === "AbortError")) publish(null);
    });
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useCurrentUser(): CurrentUser | null | undefined {
  // The server (and hydration) render the neutral state, the same for everyone.
  return useSyncExternalStore(subscribe, () => current, () => undefined);
}

/** Mounted once (the header): asks on the first page and after each navigation (signing in ends on another path). */
export function useCurrentUserLoader(): void {
  const pathname = usePathname();
  useEffect(() => refreshCurrentUser(), [pathname]);
}
