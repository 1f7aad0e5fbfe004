/**
 * Hook points of the coach domain for integrations. The defaults do nothing; the Cal.com integration replaces
 * the body (creating or updating the event type of a synced coach).
 *
 * Contract:
 * - called by lib/coaches/offering-service.ts after the change is committed: after create, after update,
 *   and after deactivate/reactivate (read `active` to hide or show the event type);
 * - receives only the id: read the current row, so a late or repeated call converges on the latest state;
 * - the local save has already succeeded; an error thrown here is logged by the caller and not shown to
 *   the coach as a failed save (record sync failures where the sync status is shown instead).
 */
export async function onOfferingSaved(offeringId: string): Promise<void> {
  void offeringId;
}
