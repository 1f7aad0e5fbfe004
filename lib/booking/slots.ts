import { z } from "zod";
import { getAvailableSlots } from "@/lib/availability";
import { calcomSlots } from "@/lib/calcom-sync/slots";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { instantSchema } from "@/lib/http/input";
import { log } from "@/lib/log";
import { timeZoneSchema } from "@/lib/time/zones";
import { loadOfferingRules } from "./rules";

export const MAX_RANGE_DAYS = 62;

export const slotQuerySchema = z
  .object({
    coachId: z.string().trim().min(1, "coachId is required.").max(64),
    offeringId: z.string().trim().min(1, "offeringId is required.").max(64),
    from: instantSchema("from must be an ISO date-time such as 2026-12-01T00:00:00Z."),
    to: instantSchema("to must be an ISO date-time such as 2026-12-08T00:00:00Z."),
    timeZone: timeZoneSchema,
  })
  .transform((q) => ({ ...q, from: new Date(q.from), to: new Date(q.to) }))
  .refine((q) => q.to > q.from, { message: "to must be after from.", path: ["to"] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= MAX_RANGE_DAYS * 86_400_000, {
    message: `The range may span at most ${MAX_RANGE_DAYS} days.`,
    path: ["to"],
  });
export type SlotQuery = z.infer<typeof slotQuerySchema>;

export interface SlotView {
  start: string;
  end: string;
}

export interface SlotsResult {
  source: "calcom" | "local";
  /** Why Cal.com did not answer, when the coach is synced but the local engine was used. */
  fallbackReason?: string;
  timeZone: string;
  slots: SlotView[];
}

/**
 * Free slots of one offering. Cal.com answers when the coach is synced and reachable (its view of the calendar
 * includes events we cannot see), minus our own holds and bookings, which Cal.com does not fully know about
 * (pending bookings only block their own event type there). Otherwise the local engine answers.
 */
export async function findSlots(query: SlotQuery, now = new Date()): Promise<SlotsResult> {
  const dayMs = 86_400_000;
  // Busy time is read a day beyond the range: a booking just outside it can still block a slot with its buffers.
  const loaded = await loadOfferingRules(db, query.offeringId, now, new Date(query.from.getTime() - dayMs), new Date(query.to.getTime() + dayMs)).catch((error) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  });
  if (!loaded || loaded.offering.coachId !== query.coachId) {
    throw new AppError("BAD_REQUEST", "Unknown coach or offering (or the offering is no longer offered).", { fields: { offeringId: "Unknown offering for this coach." } });
  }
  const { offering, coach, rules } = loaded;
  let fallbackReason: string | undefined;
  if (offering.calcomEventTypeId) {
    try {
      const remote = await calcomSlots({ ...query, eventTypeId: offering.calcomEventTypeId });
      if (remote) {
        const horizon = now.getTime() + coach.bookingHorizonDays * dayMs;
        const notice = now.getTime() + coach.minimumNoticeMinutes * 60_000;
        const free = remote.filter((slot) => {
          if (slot.start.getTime() > horizon || slot.start.getTime() < notice) return false;
          const from = slot.start.getTime() - coach.bufferBeforeMinutes * 60_000;
          const until = slot.end.getTime() + coach.bufferAfterMinutes * 60_000;
          return slot.start >= query.from && slot.start < query.to && !rules.busy.some((b) => b.start.getTime() < until && b.end.getTime() > from);
        });
        return { source: "calcom", timeZone: query.timeZone, slots: free.map(toView) };
      }
    } catch (error) {
      // The detail goes to the log; the public answer only says what happened.
      fallbackReason = "Cal.com did not answer in time; these times come from Coachbook's own availability.";
      log.warn("Cal.com slots unavailable, using the local engine", { coachId: query.coachId, error });
    }
  }
  const slots = getAvailableSlots({ ...rules, from: query.from, to: query.to });
  return { source: "local", ...(fallbackReason ? { fallbackReason } : {}), timeZone: query.timeZone, slots: slots.map(toView) };
}

const toView = (slot: { start: Date; end: Date }): SlotView => ({ start: slot.start.toISOString(), end: slot.end.toISOString() });
