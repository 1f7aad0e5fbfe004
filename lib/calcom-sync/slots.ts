import { db } from "@/lib/db/client";
import { calcomConfigured, getCalcomClient } from "./client";

/**
 * Cal.com's free slots for a synced coach's event type, or null when Cal.com is not in play for this coach
 * (not configured, or never synced). Errors propagate so the caller can fall back to the local engine.
 */
export async function calcomSlots(query: { coachId: string; eventTypeId: number; from: Date; to: Date; timeZone: string }): Promise<{ start: Date; end: Date }[] | null> {
  if (!calcomConfigured()) return null;
  const account = await db.calcomAccount.findUnique({ where: { coachId: query.coachId }, select: { syncedAt: true } });
  if (!account?.syncedAt) return null;
  const slots = await getCalcomClient("interactive").slots.get({ eventTypeId: query.eventTypeId, start: query.from, end: query.to, timeZone: query.timeZone });
  return slots;
}
