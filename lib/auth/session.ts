import { redirect } from "next/navigation";
import { hotQuery } from "@/lib/db/client";
import { readSessionToken } from "./session-token";
import type { Role } from "@/lib/generated/prisma/enums";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  timeZone: string;
}

/**
 * The signed-in caller of this request, or null. The session cookie's JWT names the account; ONE read of the
 * account then decides, on every request: a disabled or deleted account, or a session version newer than the
 * token's (sign-out everywhere, a role change, lib/auth/session-check.ts revokeSessions) ends the session at once,
 * and the name, email, zone and role are the current ones, not the token's.
 *
 * This used to be next-auth's getServerSession, which in a route handler or server component runs its whole
 * session endpoint: the jwt callback re-read the account (a Prisma query) whenever the token's last check was over
 * 30 s old, which is every request once a session is a minute old (getServerSession cannot write the refreshed
 * cookie there), and re-encrypted a token nobody received. Same rules, one named statement (hotQuery).
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const token = await readSessionToken();
  if (!token?.uid) return null;
  const [current] = await hotQuery<{ name: string; email: string; time_zone: string; role: Role; disabled: boolean; session_version: number }>(
    "coachbook_session_user",
    "SELECT name, email, time_zone, role::text AS role, disabled_at IS NOT NULL AS disabled, session_version FROM users WHERE id = $1",
    [token.uid],
  );
  if (!current || current.disabled || current.session_version !== (token.sv ?? 0)) return null;
  return { id: token.uid, name: current.name, email: current.email, role: current.role, timeZone: current.time_zone };
}

/** For server components: signed-out visitors go to sign-in; a wrong role gets the 403 page. */
export async function requirePageUser(roles?: Role[], callbackPath?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/signin${callbackPath ? `?callbackUrl=${encodeURIComponent(callbackPath)}` : ""}`);
  if (roles && !roles.includes(user.role)) redirect("/forbidden");
  return user;
}

export function homeFor(role: Role): string {
  return role === "COACH" ? "/coach" : role === "STUDENT" ? "/student/bookings" : role === "ADMIN" ? "/admin/operations" : "/";
}

/**
 * A same-site path to return to after sign-in, or null. Parsed against a dummy origin: anything that resolves to
 * another origin ("//evil", "/\\evil", tab or newline tricks) is refused, never an open redirect.
 */
export function safeCallbackPath(raw: string | undefined | null): string | null {
  if (!raw || raw.length > 2000 || !raw.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  try {
    const base = "http://coachbook.invalid";
    const url = new URL(raw, base);
    if (url.origin !== base) return null;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}
