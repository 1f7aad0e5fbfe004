import { db } from "@/lib/db/client";
import { calcomConfigured } from "@/lib/calcom-sync/client";
import { syncOffering } from "@/lib/calcom-sync/sync";

/**
 * Hook points of the coach domain for integrations.
 *
 * Contract:
 * - called by lib/coaches/offering-service.ts after the change is committed: after create, after update,
 *   and after deactivate/reactivate (the event type reads `active` to hide or show itself);
 * - receives only the id: it reads the current row, so a late or repeated call converges on the latest state;
 * - the local save has already succeeded; an error thrown here is logged by the caller and not shown to the
 *   coach as a failed save (the next "Sync with Cal.com" pushes whatever is still different).
 */
export async function onOfferingSaved(offeringId: string): Promise<void> {
  if (!calcomConfigured()) return;
  const offering = await db.offering.findUnique({ where: { id: offeringId }, select: { coach: { select: { userId: true, calcom: { select: { syncedAt: true } } } } } });
  // Only coaches who have synced once: the others have no Cal.com account to write to yet.
  if (!offering?.coach.calcom?.syncedAt) return;
  await syncOffering(offering.coach.userId, offeringId);
}
