import { createHash } from "node:crypto";
import { slugify } from "@/lib/accounts/service";
import type { CreateEventTypeInput, ScheduleAvailability, ScheduleOverride } from "@/lib/calcom";

/**
 * Pure translation of our availability and offerings into Cal.com API v2 shapes, plus content hashes so a sync
 * with nothing changed locally sends nothing.
 */
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

// Cal.com takes "HH:MM" within one day; our end of day (1440) is sent as 23:59, its usual end-of-day value.
export function hhmm(minute: number): string {
  const m = Math.min(minute, 1439);
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export interface LocalSchedule {
  timeZone: string;
  weeklyRules: { weekday: number; startMinute: number; endMinute: number }[];
  dateOverrides: { date: string; startMinute: number | null; endMinute: number | null }[];
}

export function toCalcomSchedule(local: LocalSchedule): { timeZone: string; availability: ScheduleAvailability[]; overrides: ScheduleOverride[] } {
  // Ranges with the same hours share one entry listing their days (Cal.com's own grouping).
  const byHours = new Map<string, { startTime: string; endTime: string; days: Set<number> }>();
  for (const rule of local.weeklyRules) {
    const key = `${rule.startMinute}-${rule.endMinute}`;
    const entry = byHours.get(key) ?? { startTime: hhmm(rule.startMinute), endTime: hhmm(rule.endMinute), days: new Set<number>() };
    entry.days.add(rule.weekday);
    byHours.set(key, entry);
  }
  const availability = [...byHours.values()]
    .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.endTime.localeCompare(b.endTime))
    .map((e) => ({ days: [...e.days].sort().map((d) => DAYS[d]) as ScheduleAvailability["days"], startTime: e.startTime, endTime: e.endTime }));
  const overrides = [...local.dateOverrides]
    .sort((a, b) => a.date.localeCompare(b.date) || (a.startMinute ?? -1) - (b.startMinute ?? -1))
    // A day off is an override of 00:00-00:00: no hours that day.
    .map((o) => (o.startMinute === null || o.endMinute === null ? { date: o.date, startTime: "00:00", endTime: "00:00" } : { date: o.date, startTime: hhmm(o.startMinute), endTime: hhmm(o.endMinute) }));
  // A date with hours makes its "day off" rows meaningless; drop them so Cal.com gets one meaning per date.
  const withHours = new Set(overrides.filter((o) => o.endTime !== "00:00").map((o) => o.date));
  return { timeZone: local.timeZone, availability, overrides: overrides.filter((o) => o.endTime !== "00:00" || !withHours.has(o.date)) };
}

export interface LocalOffering {
  id: string;
  title: string;
  description: string;
  durationMinutes: number;
  active: boolean;
}

export interface CoachBookingSettings {
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  bookingHorizonDays: number;
  slotIntervalMinutes: number | null;
}

export function toCalcomEventType(offering: LocalOffering, coach: CoachBookingSettings, scheduleId: number | null): CreateEventTypeInput {
  return {
    title: offering.title,
    slug: `${slugify(offering.title)}-${offering.id.slice(-6).toLowerCase()}`,
    lengthInMinutes: offering.durationMinutes,
    description: offering.description,
    ...(coach.slotIntervalMinutes ? { slotInterval: coach.slotIntervalMinutes } : {}),
    minimumBookingNotice: coach.minimumNoticeMinutes,
    beforeEventBuffer: coach.bufferBeforeMinutes,
    afterEventBuffer: coach.bufferAfterMinutes,
    ...(scheduleId ? { scheduleId } : {}),
    // No bookingWindow: the document's oneOf for it is ambiguous (every variant accepts every type), and our
    // horizon is applied to Cal.com's slots in lib/booking/slots.ts anyway.
    // Every booking starts pending and blocks its slot until our Stripe webhook confirms it.
    confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: true },
    // Nobody can book the public page directly and skip payment: bookings are made with the coach's token.
    bookingRequiresAuthentication: true,
    hidden: !offering.active,
  } as CreateEventTypeInput;
}

export function contentHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}
