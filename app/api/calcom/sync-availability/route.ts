import { getSyncStatus, syncCoach } from "@/lib/calcom-sync/sync";
import { route } from "@/lib/http/route";

/** Coach: push availability and offerings to Cal.com (idempotent). GET reports the sync status. */
export const POST = route("COACH", async ({ user }) => ({ sync: await syncCoach(user.id) }));
export const GET = route("COACH", async ({ user }) => ({ sync: await getSyncStatus(user.id) }));
