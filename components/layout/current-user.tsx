"use client";

import { usePathname } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useState } from "react";

export interface CurrentUser {
  name: string;
  role: "COACH" | "STUDENT" | "ADMIN";
  timeZone: string;
}

/** undefined while the first answer is on its way (the header shows its neutral state), null when signed out. */
type State = { user: CurrentUser | null | undefined; refresh: () => void };
const CurrentUserContext = createContext<State>({ user: undefined, refresh: () => {} });

/**
 * The signed-in user for the header and footer, asked from /api/me in the browser. The root layout must not read
 * the session on the server: that would make every page dynamic and keep the public pages out of the page cache.
 * Asked again after each navigation (signing in ends on another path; the layout stays mounted) and on demand
 * (the profile form after a rename). The server keeps guarding pages itself (proxy.ts and the area layouts).
 */
export function CurrentUserProvider({ children }: { children: React.ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const pathname = usePathname();
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/me", { signal: controller.signal, cache: "no-store" })
      .then((response) => (response.ok ? response.json() : { user: null }))
      .then((body: { user: CurrentUser | null }) => setUser(body.user ?? null))
      .catch((error: unknown) => {
        // A navigation cancelled this request: the next one answers. Otherwise show the signed-out header.
        if (!(error instanceof DOMException && error.name === "AbortError")) setUser(null);
      });
    return () => controller.abort();
  }, [pathname, version]);
  return <CurrentUserContext.Provider value={{ user, refresh }}>{children}</CurrentUserContext.Provider>;
}

export function useCurrentUser(): State {
  return useContext(CurrentUserContext);
}
