/**
 * Input and output shapes of the availability engine. Plain TypeScript (no zod): callers validate
 * user input at the edge and pass already-typed rows from the database.
 */

/** A weekly range of working hours, in the coach's zone. */
export interface WeeklyRule {
  /** 0 = Sunday … 6 = Saturday (same numbering as `Date#getDay`). */
  weekday: number;
  /** Minutes from local midnight, 0 ≤ startMinute < endMinute ≤ 1440. */
  startMinute: number;
  /** Minutes from local midnight; 1440 means the end of the day. */
  endMinute: number;
}

/**
 * One `date_overrides` row. All rows of a date together replace that date's weekly hours.
 * A row whose minutes are null marks the day off; if a date has both null rows and ranges, the ranges win.
 */
export interface DateOverrideRule {
  /** Local calendar date in the coach's zone, "YYYY-MM-DD". */
  date: string;
  startMinute: number | null;
  endMinute: number | null;
}

/** A half-open UTC interval [start, end). */
export interface TimeInterval {
  start: Date;
  end: Date;
}

/** A bookable slot: [start, end) with end = start + duration. */
export type Slot = TimeInterval;

/** Everything that decides whether a start time is bookable (no query range). */
export interface AvailabilityRules {
  /** The coach's IANA zone; weekly rules and overrides are wall-clock times in this zone. */
  timeZone: string;
  weeklyRules: readonly WeeklyRule[];
  dateOverrides: readonly DateOverrideRule[];
  /** Length of a session in minutes (> 0). */
  durationMinutes: number;
  /** Distance between candidate starts in minutes (> 0). Defaults to `durationMinutes`. */
  slotIntervalMinutes?: number | null;
  /** Free time required before a session (≥ 0). */
  bufferBeforeMinutes: number;
  /** Free time required after a session (≥ 0). */
  bufferAfterMinutes: number;
  /** A slot may not start before `now + minimumNoticeMinutes` (≥ 0). */
  minimumNoticeMinutes: number;
  /** A slot may not start after `now + bookingHorizonDays × 24 h` (≥ 0; `Infinity` = no horizon). */
  bookingHorizonDays: number;
  /**
   * The coach's already-blocked time: each booking's `[blocked_from, blocked_until)`, i.e. including that
   * booking's own buffers. Any order; overlaps allowed.
   */
  busy: readonly TimeInterval[];
  /** The current instant. */
  now: Date;
}

/** Rules plus the query range: slots whose start lies in [from, to) are returned. */
export interface AvailabilityInput extends AvailabilityRules {
  from: Date;
  to: Date;
}

/** What the database stores for a booking: `blocked_from` / `blocked_until`. */
export interface BlockedRange {
  from: Date;
  until: Date;
}
