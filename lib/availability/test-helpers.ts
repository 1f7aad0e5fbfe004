/** Shared helpers for the availability tests (not part of the engine's API). */
import type { AvailabilityInput, WeeklyRule } from "./types";
import { getAvailableSlots } from "./slots";

export const hm = (h: number, m = 0): number => h * 60 + m;

/** "2026-01-05T08:00" → "2026-01-05T08:00:00.000Z" (a UTC instant written the way toISOString prints it). */
export const utc = (s: string): string => `${s}:00.000Z`;

export function rule(weekday: number, start: number, end: number): WeeklyRule {
  return { weekday, startMinute: start, endMinute: end };
}

export function makeInput(over: Partial<AvailabilityInput> = {}): AvailabilityInput {
  return {
    timeZone: "UTC",
    weeklyRules: [],
    dateOverrides: [],
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingHorizonDays: 3650,
    busy: [],
    now: new Date("2025-12-01T00:00:00Z"),
    from: new Date("2026-01-01T00:00:00Z"),
    to: new Date("2026-01-02T00:00:00Z"),
    ...over,
  };
}

/** Slot starts as ISO strings. */
export function starts(input: AvailabilityInput): string[] {
  return getAvailableSlots(input).map((s) => s.start.toISOString());
}
