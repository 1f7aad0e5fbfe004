import type { Role } from "@/lib/generated/prisma/enums";

/**
 * How a session is judged against its account, apart from reading the cookie (lib/auth/session.ts): no Next.js
 * imports, so domain reads that carry the account row (lib/booking/rules.ts LOAD_FOR_HOLD_SQL) can use it.
 */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  timeZone: string;
}

/** What the session cookie's token says: the account it names and the session version it was issued under. Not yet checked against the account. */
export interface SessionClaims {
  uid: string;
  sv: number;
  /** The role at sign-in (a role change revokes the session, so it is current unless the session was revoked). */
  role: Role | null;
}

/** The account columns a session is judged by (SESSION_ACCOUNT_COLUMNS, read from `users`). */
export interface SessionAccountRow {
  name: string;
  email: string;
  time_zone: string;
  role: Role;
  disabled: boolean;
  session_version: number;
}

/** The select list of `users` that sessionUserFrom needs: getSessionUser's read, and reads that carry it (lib/booking/rules.ts). */
export const SESSION_ACCOUNT_COLUMNS = "name, email, time_zone, role::text AS role, disabled_at IS NOT NULL AS disabled, session_version";

/**
 * THE rule a session is judged by, given its account as read now: a missing, disabled or deleted account, or a
 * session version newer than the token's (sign-out everywhere, a role change, lib/auth/session-check.ts
 * revokeSessions) ends the session; otherwise the caller is the account with its current name, email, zone and role.
 */
export function sessionUserFrom(claims: SessionClaims, account: SessionAccountRow | null | undefined): SessionUser | null {
  if (!account || account.disabled || account.session_version !== claims.sv) return null;
  return { id: claims.uid, name: account.name, email: account.email, role: account.role, timeZone: account.time_zone };
}

/**
 * A caller whose session token is valid but whose account is not read yet: the handler's own first read carries
 * the account row (SESSION_ACCOUNT_COLUMNS for `id`) and hands it to `admit`, which applies exactly what route()
 * (lib/http/route.ts) applies before a handler: the session rule (sessionUserFrom: 401), the role (403) and the
 * route's rate limits (429). Until `admit` returns, `id` is only a claim: use it to read, nothing else.
 */
export interface PendingCaller {
  readonly id: string;
  /** `undefined` when the handler's read could not carry the account (its row was missing): admit reads it then. */
  admit(account: SessionAccountRow | null | undefined): Promise<SessionUser>;
}
