/**
 * Wall-clock ↔ instant conversion for one IANA zone.
 *
 * Offsets come from `@date-fns/tz`'s `tzOffset` (the runtime's tz database through `Intl`, with an explicit
 * zone, so the host's `process.env.TZ` never matters). We do not use the `TZDate` *wall-field* constructor here:
 * for an ambiguous wall time (the repeated hour of a fall-back day) it picks the occurrence through the host
 * zone, so `new TZDate(2026, 10, 1, 1, 30, "America/New_York")` is EDT under TZ=UTC but EST under
 * TZ=America/Los_Angeles; it also costs ~12 µs per call.
 *
 * Instead an {@link OffsetTimeline} samples the zone's offset once per day (per UTC month, cached for the process),
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

interface SampledOffsets {
  /** Offset (ms) at the span's first instant. */
  first: number;
  /** Instants (ms) at which the offset changes inside the span, ascending, and the offset from each on. */
  starts: number[];
  offsets: number[];
}

/**
 * The zone's offset changes in (fromMs, toMs]: the offset is sampled once per day, and each change is pinned to the
 * second by bisection (real transitions happen on whole seconds).
 */
function sampleOffsets(timeZone: string, fromMs: number, toMs: number): SampledOffsets {
  let t = Math.floor(fromMs / 1000) * 1000;
  const end = Math.max(t, Math.ceil(toMs / 1000) * 1000);
  let current = zoneOffsetMs(timeZone, t);
  const sampled: SampledOffsets = { first: current, starts: [], offsets: [] };
  while (t < end) {
    const next = Math.min(t + DAY_MS, end);
    if (zoneOffsetMs(timeZone, next) === current) {
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
    sampled.starts.push(bad);
    sampled.offsets.push(current);
    // Continue from the transition, so a second change inside the same step is not missed.
    t = bad;
  }
  return sampled;
}

/**
 * Offsets are sampled per zone and UTC calendar month, once per process, and shared by every timeline: a 60-day
 * slot read used to ask Intl for about 70 offsets (a third of the engine's time); now it joins three or four
 * cached months. The tz database does not change while the process runs, so nothing here ever goes stale; the
 * map is bounded (cleared when full) and only months of years 1900-2299 are cached (others are sampled directly).
 */
const zoneMonths = new Map<string, SampledOffsets>();
const MAX_CACHED_ZONE_MONTHS = 20_000;
const FIRST_CACHED_MONTH = 1900 * 12;
const LAST_CACHED_MONTH = 2300 * 12 - 1;
/** Spans up to this many months are joined from the cache; longer ones (rare: tests, far ranges) are sampled. */
const MAX_JOINED_MONTHS = 26;

function utcMonthIndex(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function zoneMonth(timeZone: string, month: number): SampledOffsets {
  const key = `${timeZone}\u0000${month}`;
  let found = zoneMonths.get(key);
  if (!found) {
    const year = Math.floor(month / 12);
    found = sampleOffsets(timeZone, Date.UTC(year, month % 12, 1), Date.UTC(year, (month % 12) + 1, 1));
    if (zoneMonths.size >= MAX_CACHED_ZONE_MONTHS) zoneMonths.clear();
    zoneMonths.set(key, found);
  }
  return found;
}

/**
 * Piecewise-constant offsets of one zone over a UTC span; exact within the span (and within the whole UTC months
 * it touches), extrapolated outside it.
 */
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
    const firstMonth = Number.isFinite(fromMs) ? utcMonthIndex(fromMs) : NaN;
    const lastMonth = Number.isFinite(toMs) ? utcMonthIndex(Math.max(fromMs, toMs)) : NaN;
    if (firstMonth >= FIRST_CACHED_MONTH && lastMonth <= LAST_CACHED_MONTH && lastMonth - firstMonth < MAX_JOINED_MONTHS) {
      // Month m's changes lie in (its first instant, the next month's first instant], so joining them in order
      // gives every change once, and each month starts with the offset the previous one ended on.
      this.starts = [-Infinity];
      this.offsets = [zoneMonth(timeZone, firstMonth).first];
      for (let month = firstMonth; month <= lastMonth; month++) {
        const sampled = zoneMonth(timeZone, month);
        for (let i = 0; i < sampled.starts.length; i++) {
          this.starts.push(sampled.starts[i]);
          this.offsets.push(sampled.offsets[i]);
        }
      }
      return;
    }
    const sampled = sampleOffsets(timeZone, fromMs, toMs);
    this.starts = [-Infinity, ...sampled.starts];
    this.offsets = [sampled.first, ...sampled.offsets];
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
