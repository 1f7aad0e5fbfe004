/**
 * Wall-clock ↔ instant conversion for one IANA zone.
 *
 * Offsets come from `@date-fns/tz`'s `tzOffset` (the runtime's tz database through `Intl`, with an explicit
 * zone, so the host's `process.env.TZ` never matters). We do not use the `TZDate` *wall-field* constructor here:
 * for an ambiguous wall time (the repeated hour of a fall-back day) it picks the occurrence through the host
 * zone, so `new TZDate(2026, 10, 1, 1, 30, "America/New_York")` is EDT under TZ=UTC but EST under
 * TZ=America/Los_Angeles; it also costs ~12 µs per call.
 *
 * Instead an {@link OffsetTimeline} samples the zone's offset once per day over the span a query needs,
 * pins every offset change to the second by bisection, and then converts with exact, piecewise offsets.
 *
 * Wall time → instant (the one rule used everywhere): a wall time maps to the EARLIEST instant at which the
 * zone's clock shows that wall time or a later one.
 *  - normal time: the obvious instant;
 *  - a wall time skipped by a spring-forward gap (02:30 in New York on 2026-03-08): the first instant after
 *    the gap (03:00 EDT = 07:00Z);
 *  - a repeated wall time on a fall-back day (01:30 in New York on 2026-11-01): its first occurrence (EDT).
 * The mapping is monotonic, so a wall-clock range always maps to a (possibly empty) instant range.
 */
import { tzOffset } from "@date-fns/tz";

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** UTC offset of `timeZone` at instant `ms`, in milliseconds. Throws on an unknown zone. */
export function zoneOffsetMs(timeZone: string, ms: number): number {
  const minutes = tzOffset(timeZone, new Date(ms));
  if (!Number.isFinite(minutes)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  return Math.round(minutes * MINUTE_MS);
}

/** Piecewise-constant offsets of one zone over a UTC span; exact within the span, extrapolated outside it. */
export class OffsetTimeline {
  /** starts[i] is the first instant of segment i (starts[0] = -Infinity). */
  private readonly starts: number[];
  /** offsets[i] is the offset (ms) during segment i. */
  private readonly offsets: number[];

  constructor(
    readonly timeZone: string,
    fromMs: number,
    toMs: number,
  ) {
    // Second-aligned sampling grid: real transitions happen on whole seconds.
    let t = Math.floor(fromMs / 1000) * 1000;
    const end = Math.max(t, Math.ceil(toMs / 1000) * 1000);
    let current = zoneOffsetMs(timeZone, t);
    this.starts = [-Infinity];
    this.offsets = [current];
    while (t < end) {
      const next = Math.min(t + DAY_MS, end);
      const sampled = zoneOffsetMs(timeZone, next);
      if (sampled === current) {
        t = next;
        continue;
      }
      // The offset changed in (t, next]: bisect to the first second with a different offset.
      let good = t;
      let bad = next;
      while (bad - good > 1000) {
        const mid = Math.floor((good + bad) / 2000) * 1000;
        if (mid <= good) break;
        if (zoneOffsetMs(timeZone, mid) === current) good = mid;
        else bad = mid;
      }
      current = zoneOffsetMs(timeZone, bad);
      this.starts.push(bad);
      this.offsets.push(current);
      // Continue from the transition, so a second change inside the same step is not missed.
      t = bad;
    }
  }

  /** Offset (ms) in force at instant `ms`. */
  offsetAt(ms: number): number {
    let i = this.starts.length - 1;
    while (i > 0 && this.starts[i] > ms) i--;
    return this.offsets[i];
  }

  /** The zone's wall clock at instant `ms`, encoded as a UTC timestamp (read it with getUTC* methods). */
  toWall(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /** The earliest instant whose wall clock shows `wallMs` (UTC-encoded) or later. See the module comment. */
  fromWall(wallMs: number): number {
    const last = this.starts.length - 1;
    for (let i = 0; i < last; i++) {
      // Segment i shows wall times below starts[i + 1] + offsets[i]; the first segment that reaches wallMs wins.
      if (this.starts[i + 1] + this.offsets[i] > wallMs) return Math.max(this.starts[i], wallMs - this.offsets[i]);
    }
    return Math.max(this.starts[last], wallMs - this.offsets[last]);
  }
}

/** Days since 1970-01-01 of a UTC-encoded wall timestamp (its local calendar date). */
export function dayNumberOfWall(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday for a local day number (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a "YYYY-MM-DD" calendar date; throws RangeError on a malformed or impossible date. */
export function parseLocalDate(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Invalid date "${date}": expected YYYY-MM-DD`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`Invalid date "${date}"`);
  }
  return ms / DAY_MS;
}

/**
 * The instant of wall time `minute` (0–1440) on local `date` ("YYYY-MM-DD") in `timeZone`, by the rule in the
 * module comment (skipped times move to the end of the gap, repeated times take the first occurrence).
 */
export function localTimeToInstant(timeZone: string, date: string, minute: number): Date {
  const wall = parseLocalDate(date) * DAY_MS + minute * MINUTE_MS;
  const timeline = new OffsetTimeline(timeZone, wall - 2 * DAY_MS, wall + 2 * DAY_MS);
  return new Date(timeline.fromWall(wall));
}
