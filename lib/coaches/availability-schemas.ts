import { z } from "zod";
import { timeZoneSchema } from "@/lib/time/zones";

/**
 * The coach's availability form: weekly hours, date overrides and the booking limits, exactly as the form
 * sends and receives them. Times are "HH:MM" wall-clock times in `timeZone`; an end may be "24:00" (midnight
 * at the end of the day). Every issue carries the precise path of the offending field (e.g.
 * `weeklyRules.2.end`, `dateOverrides.0.ranges.1.start`) so the form can show it next to that field.
 */

export const MAX_RANGES_PER_DAY = 20;
export const MAX_DATE_OVERRIDES = 366;
export const MAX_BUFFER_MINUTES = 240;
export const MAX_NOTICE_MINUTES = 30 * 24 * 60;
export const MAX_HORIZON_DAYS = 365;
export const MIN_SLOT_INTERVAL = 5;
export const MAX_SLOT_INTERVAL = 240;

export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** "HH:MM" → minutes from midnight ("24:00" → 1440). Assumes a validated value. */
export function timeToMinutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Minutes from midnight → "HH:MM" (1440 → "24:00"). */
export function minutesToTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** True for a real calendar date written "YYYY-MM-DD" (rejects 2025-02-30). */
export function isValidDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 2000 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

const START_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const startSchema = z.string({ error: "Enter a start time." }).trim().regex(START_RE, "Use a time between 00:00 and 23:59 (HH:MM).");
const endSchema = z.string({ error: "Enter an end time." }).trim().regex(END_RE, "Use a time between 00:01 and 24:00 (HH:MM).");

/** Flags an end that is not after its start (only once both times are well-formed). */
function checkOrder(range: { start: string; end: string }, ctx: z.RefinementCtx) {
  if (START_RE.test(range.start) && END_RE.test(range.end) && timeToMinutes(range.end) <= timeToMinutes(range.start)) {
    ctx.addIssue({ code: "custom", path: ["end"], message: "The end must be after the start." });
  }
}

export const timeRangeSchema = z.object({ start: startSchema, end: endSchema }).superRefine(checkOrder);

export const weeklyRuleSchema = z
  .object({
    weekday: z
      .number({ error: "Choose a day of the week." })
      .int("Choose a day of the week.")
      .min(0, "Choose a day of the week (0 = Sunday … 6 = Saturday).")
      .max(6, "Choose a day of the week (0 = Sunday … 6 = Saturday)."),
    start: startSchema,
    end: endSchema,
  })
  .superRefine(checkOrder);

export const dateOverrideSchema = z.object({
  date: z.string({ error: "Enter a date." }).trim().refine(isValidDate, "Enter a valid date (YYYY-MM-DD)."),
  /** Empty means the coach is off that whole day. */
  ranges: z.array(timeRangeSchema).max(MAX_RANGES_PER_DAY, `At most ${MAX_RANGES_PER_DAY} time ranges per date.`).default([]),
});

function minutesField(label: string, max: number, maxText: string) {
  return z
    .number({ error: `Enter the ${label} in minutes.` })
    .int(`Use whole minutes for the ${label}.`)
    .min(0, `The ${label} cannot be negative.`)
    .max(max, `The ${label} can be at most ${maxText}.`);
}

interface RangeRef {
  index: number;
  start: number;
  end: number;
}

/** Reports each range that overlaps an earlier one of the same group (ranges that only touch are fine). */
function reportOverlaps(ranges: RangeRef[], path: (index: number) => (string | number)[], where: string, ctx: z.RefinementCtx) {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  let latest: RangeRef | undefined;
  for (const range of sorted) {
    if (latest && range.start < latest.end) {
      const other = `${minutesToTime(latest.start)}–${minutesToTime(latest.end)}`;
      // Point at whichever of the two the person entered later, so the message sits on the new row.
      const [flagged, kept] = range.index > latest.index ? [range, other] : [latest, `${minutesToTime(range.start)}–${minutesToTime(range.end)}`];
      ctx.addIssue({ code: "custom", path: path(flagged.index), message: `Overlaps ${kept} ${where}.` });
    }
    if (!latest || range.end > latest.end) latest = range;
  }
}

export const availabilitySchema = z
  .object({
    timeZone: z.string({ error: "Choose a time zone." }).pipe(timeZoneSchema),
    weeklyRules: z
      .array(weeklyRuleSchema, { error: "Send the weekly hours as a list." })
      .max(7 * MAX_RANGES_PER_DAY, `At most ${MAX_RANGES_PER_DAY} time ranges per day.`),
    dateOverrides: z
      .array(dateOverrideSchema, { error: "Send the date overrides as a list." })
      .max(MAX_DATE_OVERRIDES, `At most ${MAX_DATE_OVERRIDES} date overrides.`)
      .default([]),
    bufferBeforeMinutes: minutesField("buffer before", MAX_BUFFER_MINUTES, "4 hours (240 minutes)"),
    bufferAfterMinutes: minutesField("buffer after", MAX_BUFFER_MINUTES, "4 hours (240 minutes)"),
    minimumNoticeMinutes: minutesField("minimum notice", MAX_NOTICE_MINUTES, "30 days"),
    bookingHorizonDays: z
      .number({ error: "Enter how many days ahead students can book." })
      .int("Use a whole number of days.")
      .min(1, "Allow booking at least 1 day ahead.")
      .max(MAX_HORIZON_DAYS, `The booking horizon can be at most ${MAX_HORIZON_DAYS} days.`),
    /** Minutes between slot starts; null = the offering's length. */
    slotIntervalMinutes: z
      .number({ error: "Choose a slot interval." })
      .int("Use whole minutes for the slot interval.")
      .min(MIN_SLOT_INTERVAL, `The slot interval must be at least ${MIN_SLOT_INTERVAL} minutes.`)
      .max(MAX_SLOT_INTERVAL, `The slot interval can be at most ${MAX_SLOT_INTERVAL} minutes.`)
      .nullable()
      .default(null),
  })
  .superRefine((form, ctx) => {
    // Weekly: per weekday, at most MAX_RANGES_PER_DAY ranges and no overlaps.
    const byWeekday = new Map<number, RangeRef[]>();
    // Rows that failed their own checks already carry an issue; compare only well-formed ones.
    form.weeklyRules.forEach((rule, index) => {
      if (!weeklyRuleSchema.safeParse(rule).success) return;
      const list = byWeekday.get(rule.weekday) ?? [];
      list.push({ index, start: timeToMinutes(rule.start), end: timeToMinutes(rule.end) });
      byWeekday.set(rule.weekday, list);
    });
    for (const [weekday, ranges] of byWeekday) {
      if (ranges.length > MAX_RANGES_PER_DAY) {
        ctx.addIssue({
          code: "custom",
          path: ["weeklyRules", ranges[MAX_RANGES_PER_DAY].index],
          message: `At most ${MAX_RANGES_PER_DAY} time ranges per day (${WEEKDAY_NAMES[weekday]} has ${ranges.length}).`,
        });
      }
      reportOverlaps(ranges, (index) => ["weeklyRules", index, "start"], `on ${WEEKDAY_NAMES[weekday]}`, ctx);
    }

    // Overrides: one entry per date, no overlaps within a date.
    const seen = new Map<string, number>();
    form.dateOverrides.forEach((override, index) => {
      if (!Array.isArray(override.ranges)) return;
      const first = seen.get(override.date);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["dateOverrides", index, "date"], message: `${override.date} is already listed; edit that entry instead.` });
      } else {
        seen.set(override.date, index);
      }
      reportOverlaps(
        override.ranges.flatMap((range, rangeIndex) =>
          timeRangeSchema.safeParse(range).success ? [{ index: rangeIndex, start: timeToMinutes(range.start), end: timeToMinutes(range.end) }] : [],
        ),
        (rangeIndex) => ["dateOverrides", index, "ranges", rangeIndex, "start"],
        `on ${override.date}`,
        ctx,
      );
    });
  });

/** What the form sends (before defaults). */
export type AvailabilityFormInput = z.input<typeof availabilitySchema>;
/** Validated availability, the shape `getAvailability` returns and `saveAvailability` takes. */
export type AvailabilityForm = z.infer<typeof availabilitySchema>;
export type WeeklyRuleInput = z.infer<typeof weeklyRuleSchema>;
export type DateOverrideInput = z.infer<typeof dateOverrideSchema>;
export type TimeRangeInput = z.infer<typeof timeRangeSchema>;
