import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { EmuBooking, EmuEventType, EmuSchedule } from "./state";
import { WEEKDAYS } from "./state";

/**
 * Slot computation modelled on Cal.com's pipeline (SLOTS-ENGINE.md): weekly availability and date overrides are
 * wall-clock times in the *schedule's* zone, expanded per local date (DST-correct via @date-fns/tz); slot starts
 * step by `slotInterval ?? lengthInMinutes` from each window's start and must fit inside the window; a slot is
 * dropped when it starts before now + minimumBookingNotice or when [start - beforeBuffer, end + afterBuffer]
 * overlaps a busy booking extended by *its* event type's buffers.
 *
 * Busy bookings (CONTRACT.md §5): ACCEPTED bookings of the owner block every event type; PENDING bookings block
 * only their own event type, and only when it requires confirmation with blockUnconfirmedBookingsInBooker=true.
 */
const DAY = 86_400_000;

export interface Interval {
  start: number;
  end: number;
}

export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) || zone === "UTC";
  } catch {
    return false;
  }
}

/** Wall-clock "YYYY-MM-DD" + "HH:MM" in `zone` → epoch ms. */
export function zonedTime(date: string, time: string, zone: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  return new TZDate(y, m - 1, d, hh, mm, 0, 0, zone).getTime();
}

/** Local calendar date of an instant in `zone`. */
export function localDate(ms: number, zone: string): string {
  return format(new TZDate(ms, zone), "yyyy-MM-dd");
}

/** ISO 8601 with the zone's offset, like Cal.com's slot output ("2050-09-05T09:00:00.000+02:00"). */
export function formatInZone(ms: number, zone: string): string {
  return format(new TZDate(ms, zone), "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10);
}

function weekday(date: string) {
  const [y, m, d] = date.split("-").map(Number);
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

/** Availability windows (UTC intervals) of a schedule that touch [from, to]. */
export function availabilityWindows(schedule: EmuSchedule, from: number, to: number): Interval[] {
  const zone = schedule.timeZone;
  const windows: Interval[] = [];
  const last = localDate(to + DAY, zone);
  for (let date = localDate(from - DAY, zone); date <= last; date = addDays(date, 1)) {
    const overrides = schedule.overrides.filter((o) => o.date === date);
    const rules = overrides.length > 0 ? overrides : schedule.availability.filter((rule) => rule.days.includes(weekday(date)));
    for (const rule of rules) {
      const start = zonedTime(date, rule.startTime, zone);
      const end = zonedTime(date, rule.endTime, zone);
      if (end > start && end > from && start <= to) windows.push({ start, end });
    }
  }
  return windows.sort((a, b) => a.start - b.start);
}

export interface SlotContext {
  schedule: EmuSchedule;
  eventType: EmuEventType;
  /** The owner's bookings (all event types). */
  bookings: EmuBooking[];
  eventTypes: Map<number, EmuEventType>;
  rangeStart: number;
  rangeEnd: number;
  now: number;
  /** Length override (multi-length event types). */
  lengthInMinutes?: number;
  /** Booking whose own time is ignored (rescheduling). */
  ignoreBookingUid?: string;
}

export function busyIntervals(ctx: Pick<SlotContext, "bookings" | "eventTypes" | "eventType" | "ignoreBookingUid">): Interval[] {
  const busy: Interval[] = [];
  for (const booking of ctx.bookings) {
    if (booking.uid === ctx.ignoreBookingUid) continue;
    const blocks =
      booking.status === "accepted" ||
      (booking.status === "pending" &&
        booking.eventTypeId === ctx.eventType.id &&
        ctx.eventType.confirmationPolicy !== null &&
        ctx.eventType.confirmationPolicy.blockUnconfirmedBookingsInBooker);
    if (!blocks) continue;
    const type = ctx.eventTypes.get(booking.eventTypeId);
    busy.push({ start: booking.start - (type?.beforeEventBuffer ?? 0) * 60_000, end: booking.end + (type?.afterEventBuffer ?? 0) * 60_000 });
  }
  return busy;
}

export function computeSlots(ctx: SlotContext): Interval[] {
  const { eventType } = ctx;
  const length = (ctx.lengthInMinutes ?? eventType.lengthInMinutes) * 60_000;
  const step = (eventType.slotInterval ?? ctx.lengthInMinutes ?? eventType.lengthInMinutes) * 60_000;
  const earliest = ctx.now + eventType.minimumBookingNotice * 60_000;
  const before = eventType.beforeEventBuffer * 60_000;
  const after = eventType.afterEventBuffer * 60_000;
  const busy = busyIntervals(ctx);
  const seen = new Set<number>();
  const slots: Interval[] = [];
  for (const window of availabilityWindows(ctx.schedule, ctx.rangeStart, ctx.rangeEnd)) {
    for (let start = window.start; start + length <= window.end; start += step) {
      const end = start + length;
      if (start < ctx.rangeStart || start > ctx.rangeEnd || start < earliest || seen.has(start)) continue;
      if (busy.some((b) => start - before < b.end && end + after > b.start)) continue;
      seen.add(start);
      slots.push({ start, end });
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}
