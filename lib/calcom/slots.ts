import type { CalcomContext } from "./context";
import { CalcomError } from "./errors";
import { slotsRangeSchema } from "./schemas";

/** GET /v2/slots (cal-api-version 2024-09-04, no auth), always with format=range, normalised to Dates. */
export interface GetSlotsQuery {
  eventTypeId: number;
  /** UTC instant (Date or ISO string with time); Cal.com reads a bare date as 00:00:00. */
  start: Date | string;
  /** UTC instant (Date or ISO string with time); Cal.com reads a bare date as 23:59:59. */
  end: Date | string;
  /** Zone the server groups and formats slots in (keys are dates in this zone). Always pass it (PITFALLS.md #9). */
  timeZone: string;
  /** Only for event types with lengthInMinutesOptions. */
  duration?: number;
  /** Leaves this booking's own time free, so its current slot still shows when rescheduling. */
  bookingUidToReschedule?: string;
}

export interface Slot {
  start: Date;
  end: Date;
}

export function slotsApi(ctx: CalcomContext) {
  return {
    async get(query: GetSlotsQuery): Promise<Slot[]> {
      const template = "/v2/slots";
      const data = await ctx.send(
        { kind: "none" },
        {
          method: "GET",
          path: "/v2/slots",
          template,
          query: {
            eventTypeId: query.eventTypeId,
            start: iso(query.start),
            end: iso(query.end),
            timeZone: query.timeZone,
            format: "range",
            duration: query.duration,
            bookingUidToReschedule: query.bookingUidToReschedule,
          },
          data: slotsRangeSchema,
        },
      );
      return normaliseSlots(data, template);
    },
  };
}

/** Flattens `{ "YYYY-MM-DD": [{start, end}] }` into sorted `{ start: Date, end: Date }[]`. */
export function normaliseSlots(data: Record<string, { start: string; end?: string }[]>, template = "/v2/slots"): Slot[] {
  const slots: Slot[] = [];
  for (const items of Object.values(data)) {
    for (const item of items) {
      const start = new Date(item.start);
      const end = item.end === undefined ? undefined : new Date(item.end);
      if (Number.isNaN(start.getTime()) || !end || Number.isNaN(end.getTime()) || end <= start) {
        throw new CalcomError({ kind: "invalid_response", method: "GET", path: template, calMessage: "slot without a valid start/end range" });
      }
      slots.push({ start, end });
    }
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime());
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

export type SlotsApi = ReturnType<typeof slotsApi>;
