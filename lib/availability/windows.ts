/**
 * Availability windows: the coach's working hours turned into UTC instant ranges, day by local day.
 *
 * Per local date the hours are the date's override rows if it has any (none with minutes = day off), else the
 * weekday's weekly rules. Ranges are clipped to [0, 1440], sorted and merged (overlapping or touching) in
 * wall-clock minutes, converted to instants (see ./tz.ts for skipped / repeated wall times) and merged again
 * in instant space (a spring-forward gap can make 01:00–02:00 and 03:00–04:00 contiguous).
 *
 * Across local midnight: a window that ends at the end of day D (24:00) is joined with day D+1's window that
 * starts at D+1's first instant, so a slot can span midnight (22:00–24:00 + 00:00–02:00 is one window
 * 22:00–02:00). A window crosses at most one midnight and only if it began after D's first instant: a window
 * covering a whole local day is never joined to the next day. This keeps every join decision local to two
 * adjacent days, so the result never depends on the query range.
 */
import type { DateOverrideRule, WeeklyRule } from "./types";
import { DAY_MS, MINUTE_MS, type OffsetTimeline, parseLocalDate, weekdayOfDayNumber } from "./tz";

/** Flat, sorted, disjoint wall-minute ranges: [start0, end0, start1, end1, …]. */
export type MinuteRanges = readonly number[];

export interface Schedule {
  /** Index 0..6 = weekday. */
  weekly: MinuteRanges[];
  /** Local day number → that date's ranges (empty = day off). */
  overrides: Map<number, MinuteRanges>;
}

/** A merged availability window [start, end) in epoch ms. */
export interface Window {
  start: number;
  end: number;
  /** Local day number on which the window began. */
  day: number;
  /** Local day number of the latest range merged into it. */
  lastDay: number;
  /** The window began strictly after its day's first instant, so it may continue into the next day. */
  joinable: boolean;
}

function assertMinute(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite number of minutes`);
}

/** Clip to [0, 1440], drop empty ranges, sort, merge overlapping or touching ranges. */
export function normalizeRanges(ranges: ReadonlyArray<readonly [number, number]>): MinuteRanges {
  const kept: Array<[number, number]> = [];
  for (const [s0, e0] of ranges) {
    const s = Math.max(0, s0);
    const e = Math.min(1440, e0);
    if (e > s) kept.push([s, e]);
  }
  kept.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  for (const [s, e] of kept) {
    const n = out.length;
    if (n > 0 && s <= out[n - 1]) {
      if (e > out[n - 1]) out[n - 1] = e;
    } else {
      out.push(s, e);
    }
  }
  return out;
}

export function buildSchedule(
  weeklyRules: readonly WeeklyRule[],
  dateOverrides: readonly DateOverrideRule[],
): Schedule {
  const weeklyRaw: Array<Array<[number, number]>> = [[], [], [], [], [], [], []];
  for (const rule of weeklyRules) {
    if (!Number.isInteger(rule.weekday) || rule.weekday < 0 || rule.weekday > 6) {
      throw new RangeError(`Invalid weekday ${rule.weekday}: expected 0 (Sunday) to 6 (Saturday)`);
    }
    assertMinute(rule.startMinute, "startMinute");
    assertMinute(rule.endMinute, "endMinute");
    weeklyRaw[rule.weekday].push([rule.startMinute, rule.endMinute]);
  }
  const overrideRaw = new Map<number, Array<[number, number]>>();
  for (const row of dateOverrides) {
    const day = parseLocalDate(row.date);
    let list = overrideRaw.get(day);
    if (!list) overrideRaw.set(day, (list = []));
    // A row with a null minute is a "day off" marker: it contributes no hours.
    if (row.startMinute === null || row.endMinute === null) continue;
    assertMinute(row.startMinute, "startMinute");
    assertMinute(row.endMinute, "endMinute");
    list.push([row.startMinute, row.endMinute]);
  }
  const overrides = new Map<number, MinuteRanges>();
  for (const [day, list] of overrideRaw) overrides.set(day, normalizeRanges(list));
  return { weekly: weeklyRaw.map(normalizeRanges), overrides };
}

/** The hours of one local day number. */
export function rangesForDay(schedule: Schedule, day: number): MinuteRanges {
  return schedule.overrides.get(day) ?? schedule.weekly[weekdayOfDayNumber(day)];
}

/**
 * Windows of local days `firstDay..lastDay` (inclusive), sorted and disjoint. Windows that began on the day
 * before `firstDay` are not reconstructed, so the part of `firstDay` they cover gets its own window (anchored
 * at `firstDay`'s first instant); callers start one day early and ignore slots before their range.
 */
export function buildWindows(schedule: Schedule, timeline: OffsetTimeline, firstDay: number, lastDay: number): Window[] {
  const out: Window[] = [];
  let last: Window | undefined;
  for (let day = firstDay; day <= lastDay; day++) {
    const ranges = rangesForDay(schedule, day);
    if (ranges.length === 0) continue;
    const base = day * DAY_MS;
    let dayStart = NaN;
    for (let i = 0; i < ranges.length; i += 2) {
      const start = timeline.fromWall(base + ranges[i] * MINUTE_MS);
      const end = timeline.fromWall(base + ranges[i + 1] * MINUTE_MS);
      if (end <= start) continue; // entirely inside a spring-forward gap
      if (last !== undefined && last.lastDay === day && start <= last.end) {
        if (end > last.end) last.end = end;
        continue;
      }
      if (
        last !== undefined &&
        last.lastDay === day - 1 &&
        last.day === day - 1 &&
        last.joinable &&
        start === last.end
      ) {
        last.end = end;
        last.lastDay = day;
        continue;
      }
      if (Number.isNaN(dayStart)) dayStart = timeline.fromWall(base);
      last = { start, end, day, lastDay: day, joinable: start > dayStart };
      out.push(last);
    }
  }
  return out;
}
