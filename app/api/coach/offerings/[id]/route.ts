import { offeringUpdateSchema } from "@/lib/coaches/offering-schemas";
import { updateOffering } from "@/lib/coaches/offering-service";
import { parseJson, route } from "@/lib/http/route";

/** Partial update of one of the coach's own offerings (any field, and `active` to deactivate/reactivate). */
export const PATCH = route<{ id: string }>("COACH", async ({ req, params, user }) => {
  const patch = await parseJson(req, offeringUpdateSchema);
  return { offering: await updateOffering(user.id, params.id, patch) };
});
