/**
 * Slot generation: aligned candidate starts inside the availability windows, minus busy time, notice and
 * horizon. See docs/AVAILABILITY.md for the rules.
 */
import type { AvailabilityInput, AvailabilityRules, BlockedRange, Slot, TimeInterval } from "./types";
import { DAY_MS, MINUTE_MS, OffsetTimeline, dayNumberOfWall } from "./tz";
import { buildSchedule, buildWindows } from "./windows";

function minutes(value: number, what: string, { positive = false } = {}): number {
  if (!Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new RangeError(`${what} must be a ${positive ? "positive" : "non-negative"} finite number of minutes`);
  }
  return value * MINUTE_MS;
}

function instant(value: Date, what: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} must be a valid Date`);
  return ms;
}

/** Busy intervals as sorted, disjoint [start, end) pairs (ms), overlapping or touching ones merged. */
function mergeBusy(busy: readonly TimeInterval[]): { starts: Float64Array; ends: Float64Array; count: number } {
  const pairs: Array<[number, number]> = [];
  for (const b of busy) {
    const s = b.start.getTime();
    const e = b.end.getTime();
    if (e > s) pairs.push([s, e]); // empty or invalid intervals block nothing
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const starts = new Float64Array(pairs.length);
  const ends = new Float64Array(pairs.length);
  let count = 0;
  for (const [s, e] of pairs) {
    if (count > 0 && s <= ends[count - 1]) {
      if (e > ends[count - 1]) ends[count - 1] = e;
    } else {
      starts[count] = s;
      ends[count] = e;
      count++;
    }
  }
  return { starts, ends, count };
}

/** Core: starts (epoch ms) of the slots whose start lies in [fromMs, toMs), ascending. */
function computeSlotStarts(rules: AvailabilityRules, fromMs: number, toMs: number): number[] {
  const duration = minutes(rules.durationMinutes, "durationMinutes", { positive: true });
  const step =
    rules.slotIntervalMinutes == null
      ? duration
      : minutes(rules.slotIntervalMinutes, "slotIntervalMinutes", { positive: true });
  const before = minutes(rules.bufferBeforeMinutes, "bufferBeforeMinutes");
  const after = minutes(rules.bufferAfterMinutes, "bufferAfterMinutes");
  const notice = minutes(rules.minimumNoticeMinutes, "minimumNoticeMinutes");
  const horizonDays = rules.bookingHorizonDays;
  if (Number.isNaN(horizonDays) || horizonDays < 0) throw new RangeError("bookingHorizonDays must be ≥ 0");
  const now = instant(rules.now, "now");

  // Allowed starts: lower ≤ start ≤ upper (all integer ms).
  const lower = Math.max(fromMs, now + notice);
  const upper = Math.min(toMs - 1, now + horizonDays * DAY_MS);
  if (!(upper >= lower)) return [];

  const schedule = buildSchedule(rules.weeklyRules, rules.dateOverrides);
  // Margin: a local day on each side (windows may cross midnight), offsets up to ±15 h, 24:00 ends.
  const timeline = new OffsetTimeline(rules.timeZone, lower - 3 * DAY_MS, upper + 3 * DAY_MS);
  const firstDay = dayNumberOfWall(timeline.toWall(lower)) - 1;
  // One day past `upper`: a window may continue across midnight, and its end limits the last start.
  const lastDay = dayNumberOfWall(timeline.toWall(upper)) + 1;
  const windows = buildWindows(schedule, timeline, firstDay, lastDay);

  const busy = mergeBusy(rules.busy);
  const busyStarts = busy.starts;
  const busyEnds = busy.ends;
  const busyCount = busy.count;
  let b = 0; // first busy interval that may still overlap (its end is after the current query start)

  const out: number[] = [];
  for (const w of windows) {
    if (w.end <= lower) continue;
    if (w.start > upper) break;
    let s = w.start;
    if (s < lower) s += Math.ceil((lower - s) / step) * step;
    const lastStart = Math.min(upper, w.end - duration);
    while (s <= lastStart) {
      // Candidate [s, s + duration) needs [s - before, s + duration + after) free. Query starts only grow.
      const qs = s - before;
      while (b < busyCount && busyEnds[b] <= qs) b++;
      if (b < busyCount && busyStarts[b] < s + duration + after) {
        // Blocked: jump to the first aligned start whose buffered start clears this busy interval.
        s += Math.ceil((busyEnds[b] + before - s) / step) * step;
        continue;
      }
      out.push(s);
      s += step;
    }
  }
  return out;
}

/**
 * Bookable slots of one coach and one offering whose start lies in [input.from, input.to), sorted by start,
 * as UTC instants. Pure; throws RangeError on malformed input (unknown zone, bad date string, negative minutes).
 */
export function getAvailableSlots(input: AvailabilityInput): Slot[] {
  const duration = input.durationMinutes * MINUTE_MS;
  return getAvailableSlotStarts(input).map((s) => ({ start: new Date(s), end: new Date(s + duration) }));
}

/**
 * The same slots as `getAvailableSlots`, as start instants in epoch milliseconds (each slot lasts
 * `durationMinutes`). For hot paths that serialise or compare slots: no Date objects are allocated.
 */
export function getAvailableSlotStarts(input: AvailabilityInput): number[] {
  return computeSlotStarts(input, instant(input.from, "from"), instant(input.to, "to"));
}

/**
 * Whether a session starting at `start` is bookable under `rules` right now: exactly when `getAvailableSlots`
 * would return it for any range containing it. `from` / `to` are ignored if present. Use it to re-check a
 * requested slot inside the booking transaction (with `busy` read in that transaction).
 */
export function isSlotBookable(rules: AvailabilityRules, start: Date): boolean {
  const ms = instant(start, "start");
  const starts = computeSlotStarts(rules, ms, ms + 1);
  return starts.length === 1 && starts[0] === ms;
}

/**
 * What a booking [start, end) blocks for other bookings of the coach, i.e. the `blocked_from` /
 * `blocked_until` columns: [start - bufferBefore, end + bufferAfter).
 */
export function blockedRange(start: Date, end: Date, bufferBeforeMinutes: number, bufferAfterMinutes: number): BlockedRange {
  const before = minutes(bufferBeforeMinutes, "bufferBeforeMinutes");
  const after = minutes(bufferAfterMinutes, "bufferAfterMinutes");
  return { from: new Date(instant(start, "start") - before), until: new Date(instant(end, "end") + after) };
}
