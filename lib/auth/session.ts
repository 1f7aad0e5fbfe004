import { redirect } from "next/navigation";
import { hotQuery } from "@/lib/db/client";
import { readSessionToken, type CookieSource } from "./session-token";
import type { Role } from "@/lib/generated/prisma/enums";
import { SESSION_ACCOUNT_COLUMNS, sessionUserFrom, type SessionAccountRow, type SessionClaims, type SessionUser } from "./session-account";

export { SESSION_ACCOUNT_COLUMNS, sessionUserFrom, type PendingCaller, type SessionAccountRow, type SessionClaims, type SessionUser } from "./session-account";

/** The session cookie's token, decrypted (no database work), or null when there is none or it does not decrypt. */
export async function readSessionClaims(requestCookies?: CookieSource): Promise<SessionClaims | null> {
  const token = await readSessionToken(requestCookies);
  if (!token?.uid) return null;
  return { uid: token.uid, sv: token.sv ?? 0, role: token.role ?? null };
}

/** The account row of a session, read now (null when the account is gone). */
export async function readSessionAccount(uid: string): Promise<SessionAccountRow | null> {
  const [account] = await hotQuery<SessionAccountRow>("coachbook_session_user", `SELECT ${SESSION_ACCOUNT_COLUMNS} FROM users WHERE id = $1`, [uid]);
  return account ?? null;
}

/**
 * The signed-in caller of this request, or null. The session cookie's JWT names the account; ONE read of the
 * account then decides, on every request (sessionUserFrom): revocation takes effect at once, and the name, email,
 * zone and role are the current ones, not the token's.
 *
 * This used to be next-auth's getServerSession, which in a route handler or server component runs its whole
 * session endpoint: the jwt callback re-read the account (a Prisma query) whenever the token's last check was over
 * 30 s old, which is every request once a session is a minute old (getServerSession cannot write the refreshed
 * cookie there), and re-encrypted a token nobody received. Same rules, one named statement (hotQuery).
 * `requestCookies`: a route handler's request cookies (lib/http/route.ts); pages leave it out (next/headers).
 */
export async function getSessionUser(requestCookies?: CookieSource): Promise<SessionUser | null> {
  const claims = await readSessionClaims(requestCookies);
  if (!claims) return null;
  return sessionUserFrom(claims, await readSessionAccount(claims.uid));
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
