import { findSlots, slotQuerySchema } from "@/lib/booking/slots";
import { parseQuery, route } from "@/lib/http/route";

/** Public: free slots of a coach's offering, from Cal.com when the coach is synced, else the local engine. */
export const GET = route("public", async ({ req }) => findSlots(parseQuery(req, slotQuerySchema)), { rateLimit: "availableSlots" });
