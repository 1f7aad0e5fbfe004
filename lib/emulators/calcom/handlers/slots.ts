import { TZDate } from "@date-fns/tz";
import { computeSlots, formatInZone, isValidZone, localDate } from "../availability";
import { type Route, ok } from "../core";
import { badRequest, notFound } from "../http-error";
import type { EmulatorState, EmuEventType } from "../state";

/**
 * GET /v2/slots (2024-09-04, no auth). `start`/`end` are UTC instants; a bare date is read as the start / end of
 * that day in `timeZone` (default UTC). Output keys are dates in `timeZone`, items `{start}` or, with
 * format=range, `{start, end}`, as ISO strings with that zone's offset.
 */
export function findEventType(state: EmulatorState, query: { eventTypeId?: string | null; eventTypeSlug?: string | null; username?: string | null }): EmuEventType {
  if (query.eventTypeId) {
    const id = Number(query.eventTypeId);
    const type = Number.isInteger(id) ? state.eventTypes.get(id) : undefined;
    if (!type) throw notFound(`Event type with id=${query.eventTypeId} not found`);
    return type;
  }
  if (query.eventTypeSlug && query.username) {
    const owner = [...state.users.values()].find((u) => u.username === query.username);
    const type = owner && [...state.eventTypes.values()].find((t) => t.ownerId === owner.id && t.slug === query.eventTypeSlug);
    if (!type) throw notFound(`Event type with slug=${query.eventTypeSlug} of user ${query.username} not found`);
    return type;
  }
  throw badRequest("Provide eventTypeId, or eventTypeSlug together with username");
}

function parseBoundary(value: string | null, key: string, zone: string, endOfDay: boolean): number {
  if (!value) throw badRequest(`${key} is required`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-").map(Number);
    return endOfDay ? new TZDate(y, m - 1, d, 23, 59, 59, 999, zone).getTime() : new TZDate(y, m - 1, d, 0, 0, 0, 0, zone).getTime();
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${key} must be an ISO 8601 date or date-time`);
  return ms;
}

export const slotRoutes: Route[] = [
  {
    method: "GET",
    template: "/v2/slots",
    auth: "optional",
    handler(ctx) {
      const { state } = ctx.core;
      const q = ctx.query;
      const zone = q.get("timeZone") ?? "UTC";
      if (!isValidZone(zone)) throw badRequest("timeZone must be a valid IANA time zone");
      const type = findEventType(state, { eventTypeId: q.get("eventTypeId"), eventTypeSlug: q.get("eventTypeSlug"), username: q.get("username") });
      const rangeStart = parseBoundary(q.get("start"), "start", zone, false);
      const rangeEnd = parseBoundary(q.get("end"), "end", zone, true);
      if (rangeEnd < rangeStart) throw badRequest("end must be after start");
      const durationRaw = q.get("duration");
      let lengthInMinutes: number | undefined;
      if (durationRaw !== null) {
        const options = type.extra.lengthInMinutesOptions;
        const duration = Number(durationRaw);
        if (!Array.isArray(options) || !options.map(Number).includes(duration)) throw badRequest(`duration ${durationRaw} is not one of the event type's lengthInMinutesOptions`);
        lengthInMinutes = duration;
      }
      const owner = state.users.get(type.ownerId);
      const scheduleId = type.scheduleId ?? owner?.defaultScheduleId ?? null;
      const schedule = scheduleId === null ? undefined : state.schedules.get(scheduleId);
      const data: Record<string, { start: string; end?: string }[]> = {};
      if (schedule) {
        const slots = computeSlots({
          schedule,
          eventType: type,
          bookings: [...state.bookings.values()].filter((b) => b.ownerId === type.ownerId),
          eventTypes: state.eventTypes,
          rangeStart,
          rangeEnd,
          now: state.now(),
          lengthInMinutes,
          ignoreBookingUid: q.get("bookingUidToReschedule") ?? undefined,
        });
        const range = q.get("format") === "range";
        for (const slot of slots) {
          const key = localDate(slot.start, zone);
          (data[key] ??= []).push(range ? { start: formatInZone(slot.start, zone), end: formatInZone(slot.end, zone) } : { start: formatInZone(slot.start, zone) });
        }
      }
      return ok(data);
    },
  },
];
