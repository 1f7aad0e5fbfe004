import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { hotQuery } from "@/lib/db/client";
import { authOptions } from "./options";
import type { Role } from "@/lib/generated/prisma/enums";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  timeZone: string;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) return null;
  // Name and zone can change on the profile page after the JWT was issued: the database has the current ones. The
  // same read makes a disabled account or a role change count at once (the JWT recheck covers the pages' proxy).
  // Every signed-in API request makes this read: a named statement on the pool, not a Prisma query (hotQuery).
  const [current] = await hotQuery<{ name: string; time_zone: string; role: Role; disabled: boolean }>(
    "coachbook_session_user",
    "SELECT name, time_zone, role::text AS role, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1",
    [session.user.id],
  );
  if (!current || current.disabled) return null;
  return { ...session.user, name: current.name, timeZone: current.time_zone, role: current.role };
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
