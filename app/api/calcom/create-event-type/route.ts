import { z } from "zod";
import { syncOffering } from "@/lib/calcom-sync/sync";
import { parseJson, route } from "@/lib/http/route";

const bodySchema = z.object({ offeringId: z.string().trim().min(1, "offeringId is required.").max(64) });

/** Coach: create or update the Cal.com event type of one of their offerings. */
export const POST = route("COACH", async ({ req, user }) => {
  const { offeringId } = await parseJson(req, bodySchema);
  return { eventType: await syncOffering(user.id, offeringId) };
});
