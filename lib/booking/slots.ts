import { z } from "zod";
import { getAvailableSlotStarts } from "@/lib/availability";
import { calcomSlotStarts } from "@/lib/calcom-sync/slots";
import { AppError } from "@/lib/errors";
import { instantSchema } from "@/lib/http/input";
import { isoFromEpochMs } from "@/lib/time/iso";
import { timeZoneSchema } from "@/lib/time/zones";
import { loadOfferingRulesIfChanged } from "./rules";

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
  /** Who answered: Cal.com (intersected with our own engine), or our own engine alone. */
  source: "calcom" | "local";
  /** Why Cal.com did not answer, when the coach is synced but the local engine was used. */
  fallbackReason?: string;
  timeZone: string;
  slots: SlotView[];
}

const DAY_MS = 86_400_000;
const FALLBACK_REASON = "Cal.com did not answer in time; these times come from Coachbook's own availability.";

/**
 * Free slots of one offering, from one database round trip (lib/booking/rules.ts).
 *
 * Our own engine always runs (it costs well under a millisecond). When the coach is synced, Cal.com's answer
 * (cached briefly, see lib/calcom-sync/slots.ts) is intersected with it: Cal.com sees the coach's outside
 * calendars, and our engine sees our own holds and bookings (pending ones only block their own event type in
 * Cal.com) and gets DST days right (Cal.com shifts slots by an hour on some transition days, PITFALLS.md #8), so
 * a slot is offered only when both agree — exactly the slots a hold will then accept.
 */
export async function findSlots(query: SlotQuery, now = new Date()): Promise<SlotsResult> {
  const { starts, durationMs, ...answer } = await findSlotStarts(query, now);
  return { ...answer, slots: toViews(starts, durationMs) };
}

/** The same answer as findSlots, with the slots as start instants (epoch ms) of `durationMs` each. */
export interface SlotStarts extends Omit<SlotsResult, "slots"> {
  starts: number[];
  durationMs: number;
}

export async function findSlotStarts(query: SlotQuery, now = new Date()): Promise<SlotStarts> {
  const computed = await computeSlotStarts(query, now, null);
  if (computed.unchanged) throw new Error("unreachable: no known version was given");
  return computed.answer;
}

/** An answer with what it may be reused for: the coach's availability_version it was computed at, and until when. */
export interface VersionedSlotStarts {
  unchanged: false;
  answer: SlotStarts;
  availabilityVersion: number;
  /**
   * Epoch ms until which the answer stays exactly right as the clock moves, data unchanged: the first slot leaves
   * it when its start comes within the minimum notice, and a synced answer is as old as Cal.com's cached one. Null:
   * not to be reused (Cal.com did not answer; the next read should ask again).
   */
  exactUntilMs: number | null;
}

/**
 * findSlotStarts for a caller holding an answer computed at `knownVersion`: `{ unchanged: true }` when the coach's
 * availability_version is still that (one round trip that reads nothing else), else a fresh answer.
 */
export async function computeSlotStarts(query: SlotQuery, now: Date, knownVersion: number | null): Promise<{ unchanged: true } | VersionedSlotStarts> {
  // Busy time is read a day beyond the range: a booking just outside it can still block a slot with its buffers.
  const loaded = await loadOfferingRulesIfChanged(query.offeringId, now, new Date(query.from.getTime() - DAY_MS), new Date(query.to.getTime() + DAY_MS), knownVersion).catch((error) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  });
  if (loaded?.unchanged) return { unchanged: true };
  if (!loaded || loaded.offering.coachId !== query.coachId) {
    throw new AppError("BAD_REQUEST", "Unknown coach or offering (or the offering is no longer offered).", { fields: { offeringId: "Unknown offering for this coach." } });
  }
  const { offering, coach, rules } = loaded;
  const durationMs = offering.durationMinutes * 60_000;
  const local = getAvailableSlotStarts({ ...rules, from: query.from, to: query.to });
  const versioned = (answer: SlotStarts, exactUntilMs: number | null): VersionedSlotStarts => ({
    unchanged: false,
    answer,
    availabilityVersion: coach.availabilityVersion,
    exactUntilMs: exactUntilMs === null || answer.starts.length === 0 ? exactUntilMs : Math.min(exactUntilMs, answer.starts[0] - coach.minimumNoticeMinutes * 60_000),
  });
  let fallbackReason: string | undefined;
  if (offering.calcomEventTypeId !== null && coach.calcomSyncedAt) {
    const remote = await calcomSlotStarts({
      coachId: coach.id,
      eventTypeId: offering.calcomEventTypeId,
      availabilityVersion: coach.availabilityVersion,
      from: query.from,
      to: query.to,
      timeZone: query.timeZone,
    });
    if (remote?.kind === "answered") {
      const offeredByCalcom = new Set(remote.starts);
      return versioned({ source: "calcom", timeZone: query.timeZone, starts: local.filter((start) => offeredByCalcom.has(start)), durationMs }, remote.expiresAtMs);
    }
    if (remote?.kind === "unavailable") fallbackReason = FALLBACK_REASON;
  }
  const answer: SlotStarts = { source: "local", ...(fallbackReason ? { fallbackReason } : {}), timeZone: query.timeZone, starts: local, durationMs };
  return versioned(answer, fallbackReason ? null : Number.POSITIVE_INFINITY);
}

/**
 * `JSON.stringify` of the findSlots answer, written straight from the epoch milliseconds: a 60-day answer has 480
 * slots, and building 480 objects and 960 strings only to stringify them took longer than the engine itself
 * (docs/BENCHMARKS.md). ISO instants need no escaping; the two free-text fields go through JSON.stringify.
 */
export function slotsJson(answer: SlotStarts): string {
  let json = `{"source":${JSON.stringify(answer.source)}`;
  if (answer.fallbackReason) json += `,"fallbackReason":${JSON.stringify(answer.fallbackReason)}`;
  json += `,"timeZone":${JSON.stringify(answer.timeZone)},"slots":[`;
  const { starts, durationMs } = answer;
  for (let i = 0; i < starts.length; i++) {
    json += `${i === 0 ? "" : ","}{"start":"${isoFromEpochMs(starts[i])}","end":"${isoFromEpochMs(starts[i] + durationMs)}"}`;
  }
  return `${json}]}`;
}

function toViews(starts: number[], durationMs: number): SlotView[] {
  const views = new Array<SlotView>(starts.length);
  for (let i = 0; i < starts.length; i++) views[i] = { start: isoFromEpochMs(starts[i]), end: isoFromEpochMs(starts[i] + durationMs) };
  return views;
}
