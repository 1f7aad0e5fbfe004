import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";

/**
 * Sessions are JWTs that live 30 days; a role change or a disabled account must not wait that long. The token
 * carries the account's `sessionVersion`; at most every SESSION_RECHECK_MS the jwt callback reads the account
 * again: disabled, deleted or a newer version ends the session, and the role is refreshed.
 */
export const SESSION_RECHECK_MS = 30_000;

export interface SessionClaims {
  uid?: string;
  role?: Role;
  sv?: number;
  checkedAt?: number;
}

export type Recheck = { ok: true; role: Role; checkedAt: number } | { ok: false };

export async function recheckSession(token: SessionClaims, now = Date.now()): Promise<Recheck | null> {
  if (!token.uid) return { ok: false };
  if (token.checkedAt && now - token.checkedAt < SESSION_RECHECK_MS) return null; // fresh enough
  const user = await db.user.findUnique({ where: { id: token.uid }, select: { role: true, sessionVersion: true, disabledAt: true } });
  if (!user || user.disabledAt || user.sessionVersion !== (token.sv ?? 0)) return { ok: false };
  return { ok: true, role: user.role, checkedAt: now };
}

/** Ends every session of the account within SESSION_RECHECK_MS (role changes and disabling call this). */
export async function revokeSessions(userId: string, change: { role?: Role; disabled?: boolean } = {}) {
  await db.user.update({
    where: { id: userId },
    data: {
      sessionVersion: { increment: 1 },
      ...(change.role ? { role: change.role } : {}),
      ...(change.disabled === undefined ? {} : { disabledAt: change.disabled ? new Date() : null }),
    },
  });
}
