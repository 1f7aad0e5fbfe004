import { findSlotStarts, slotQuerySchema, slotsJson } from "@/lib/booking/slots";
import { cacheableJson } from "@/lib/http/cacheable";
import { parseQuery, route } from "@/lib/http/route";

/**
 * Public: free slots of a coach's offering (Cal.com intersected with the local engine when the coach is synced,
 * else the local engine). The same for every caller, so browsers and shared caches may keep it for a few seconds.
 * Rate-limited per client address (each miss may cost a Cal.com call).
 */
export const GET = route(
  "anonymous",
  async ({ req }) => cacheableJson(req, slotsJson(await findSlotStarts(parseQuery(req, slotQuerySchema))), { maxAgeSeconds: 10, staleWhileRevalidateSeconds: 20 }),
  { rateLimit: "availableSlots" },
);
