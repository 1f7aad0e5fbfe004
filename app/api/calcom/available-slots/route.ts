import { slotAnswer } from "@/lib/booking/slot-answers";
import { slotQuerySchema } from "@/lib/booking/slots";
import { cacheableJson } from "@/lib/http/cacheable";
import { parseQuery, route } from "@/lib/http/route";

/**
 * Public: free slots of a coach's offering (Cal.com intersected with the local engine when the coach is synced,
 * else the local engine). The same for every caller, so browsers and shared caches may keep it for a few seconds;
 * the process reuses an answer while the coach's availability_version says it is unchanged (lib/booking/slot-answers.ts).
 * Rate-limited per client address (each miss may cost a Cal.com call).
 */
export const GET = route(
  "anonymous",
  async ({ req }) => {
    const answer = await slotAnswer(parseQuery(req, slotQuerySchema));
    return cacheableJson(req, answer.body, { etag: answer.etag, maxAgeSeconds: 10, staleWhileRevalidateSeconds: 20 });
  },
  { rateLimit: "availableSlots" },
);
