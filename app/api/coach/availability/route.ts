import { availabilitySchema } from "@/lib/coaches/availability-schemas";
import { getAvailabilityWithSync, saveAvailability } from "@/lib/coaches/availability-service";
import { parseJson, route } from "@/lib/http/route";

/** The signed-in coach's weekly hours, date overrides and booking limits, plus the Cal.com sync state. */
export const GET = route("COACH", async ({ user }) => getAvailabilityWithSync(user.id));

/** Replaces the whole availability (one transaction); answers with the saved form and the sync state. */
export const PUT = route("COACH", async ({ req, user }) => {
  const input = await parseJson(req, availabilitySchema);
  return saveAvailability(user.id, input);
});
