import type { AvailabilityRules, TimeInterval } from "@/lib/availability";
import { SESSION_ACCOUNT_COLUMNS, type SessionAccountRow } from "@/lib/auth/session-account";
import type { Tx } from "@/lib/jobs/queue";
import { db, hotQuery } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { MAX_LIVE_HOLDS_PER_STUDENT } from "@/lib/rate-limit/limits";
import { toLiveHold, type LiveHoldRow } from "./live-holds";

const DAY_MS = 86_400_000;

// The same set as the bookings_no_overlap exclusion constraint's predicate (so busy reads can use its GiST index).
export const LIVE_STATUSES = ["PENDING_PAYMENT", "AWAITING_FUNDS", "CONFIRMED"] as const;

/**
 * Blocked time (buffers included) of the coach's live bookings and holds that touch [from, to).
 *
 * Written as the same range overlap as the `bookings_no_overlap` exclusion constraint (same columns, same '[)'
 * bounds, same status predicate), so PostgreSQL answers it from that constraint's GiST index: the cost depends on
 * the bookings in the window, not on the coach's whole history of sessions and abandoned holds.
 */
export async function liveBusy(tx: Tx, coachId: string, from: Date, to: Date, excludeBookingId?: string): Promise<TimeInterval[]> {
  const rows = await tx.$queryRaw<{ from_ms: number; until_ms: number }[]>`
    SELECT (extract(epoch FROM b.blocked_from) * 1000)::float8 AS from_ms, (extract(epoch FROM b.blocked_until) * 1000)::float8 AS until_ms
    FROM bookings b
    WHERE b.coach_id = ${coachId}
      AND b.status IN ('PENDING_PAYMENT', 'AWAITING_FUNDS', 'CONFIRMED')
      AND tstzrange(b.blocked_from, b.blocked_until, '[)') && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')
      AND b.id IS DISTINCT FROM ${excludeBookingId ?? null}::text`;
  return rows.map((row) => ({ start: new Date(row.from_ms), end: new Date(row.until_ms) }));
}

export interface OfferingRow {
  id: string;
  coachId: string;
  title: string;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
  active: boolean;
  calcomEventTypeId: number | null;
}

export interface CoachRow {
  id: string;
  /** The coach's display name (the Checkout line item names the coach). */
  name: string;
  timeZone: string;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  bookingHorizonDays: number;
  slotIntervalMinutes: number | null;
  fullRefundHoursBefore: number;
  lateCancelRefundPercent: number;
  partialRefundHoursBefore: number;
  rescheduleCutoffHours: number;
  maxReschedules: number;
  /** Bumped by triggers whenever anything that changes this coach's free time changes (see the migration). */
  availabilityVersion: number;
  /** When the coach last synced with Cal.com; null when never (Cal.com is then not asked for slots). */
  calcomSyncedAt: Date | null;
}

interface ContextRow {
  offering: OfferingRow;
  coach: Omit<CoachRow, "calcomSyncedAt"> & { calcomSyncedAt: string | null };
  weekly: [number, number, number][];
  overrides: [string, number | null, number | null][];
  busy: [number, number][];
}

// $1 offering id, $2 now, $3 busy from, $4 busy to, $5 booking id to leave out (or null). `busyRange`: the range
// whose overlapping busy time is read ([$3, $4) unless a caller knows better).
const contextColumns = (busyRange = `tstzrange($3::timestamptz, $4::timestamptz, '[)')`) => `
    json_build_object(
      'id', o.id, 'coachId', o.coach_id, 'title', o.title, 'durationMinutes', o.duration_minutes, 'priceMinor', o.price_minor,
      'currency', o.currency, 'active', o.active, 'calcomEventTypeId', o.calcom_event_type_id) AS offering,
    json_build_object(
      'id', c.id, 'name', (SELECT u.name FROM users u WHERE u.id = c.user_id), 'timeZone', c.time_zone, 'bufferBeforeMinutes', c.buffer_before_minutes, 'bufferAfterMinutes', c.buffer_after_minutes,
      'minimumNoticeMinutes', c.minimum_notice_minutes, 'bookingHorizonDays', c.booking_horizon_days, 'slotIntervalMinutes', c.slot_interval_minutes,
      'fullRefundHoursBefore', c.full_refund_hours_before, 'lateCancelRefundPercent', c.late_cancel_refund_percent,
      'partialRefundHoursBefore', c.partial_refund_hours_before, 'rescheduleCutoffHours', c.reschedule_cutoff_hours, 'maxReschedules', c.max_reschedules,
      'availabilityVersion', c.availability_version,
      'calcomSyncedAt', (SELECT a.synced_at FROM calcom_accounts a WHERE a.coach_id = c.id)) AS coach,
    COALESCE((SELECT json_agg(json_build_array(r.weekday, r.start_minute, r.end_minute)) FROM availability_rules r WHERE r.coach_id = c.id), '[]') AS weekly,
    COALESCE((SELECT json_agg(json_build_array(d.date, d.start_minute, d.end_minute)) FROM date_overrides d
      WHERE d.coach_id = c.id
        AND d.date >= to_char((greatest($3::timestamptz, $2::timestamptz) AT TIME ZONE c.time_zone)::date - 2, 'YYYY-MM-DD')
        AND d.date <= to_char(($4::timestamptz AT TIME ZONE c.time_zone)::date + 2, 'YYYY-MM-DD')), '[]') AS overrides,
    COALESCE((SELECT json_agg(json_build_array((extract(epoch FROM b.blocked_from) * 1000)::float8, (extract(epoch FROM b.blocked_until) * 1000)::float8))
      FROM bookings b
      WHERE b.coach_id = c.id
        AND b.status IN ('PENDING_PAYMENT', 'AWAITING_FUNDS', 'CONFIRMED')
        AND tstzrange(b.blocked_from, b.blocked_until, '[)') && ${busyRange}
        AND b.id IS DISTINCT FROM $5::text), '[]') AS busy`;
const CONTEXT_COLUMNS = contextColumns();
const CONTEXT_FROM = `
  FROM offerings o
  JOIN coach_profiles c ON c.id = o.coach_id
  WHERE o.id = $1::text`;
const LOAD_OFFERING_RULES_SQL = `SELECT ${CONTEXT_COLUMNS} ${CONTEXT_FROM}`;

// The same, unless the coach's availability_version still equals $6: then only the version comes back. The gate
// is a subquery the planner may not pull up (OFFSET 0): written as a plain WHERE in the LATERAL, it became a join
// filter applied AFTER the context's subqueries had run (seen in EXPLAIN ANALYZE; tests/integration/slot-answers).
export const LOAD_OFFERING_RULES_IF_CHANGED_SQL = `SELECT c.availability_version AS version, ctx.*
  FROM offerings o
  JOIN coach_profiles c ON c.id = o.coach_id
  LEFT JOIN LATERAL (
    SELECT ${CONTEXT_COLUMNS}
    FROM (SELECT 1 WHERE c.availability_version IS DISTINCT FROM $6::int OFFSET 0) changed
  ) ctx ON true
  WHERE o.id = $1::text`;

// The same, for a new hold, with what create-booking must know about the student first (one round trip less):
// $6 student id, $7 the slot's start, $8 whether to count live holds (true when the hold cap applies).
// - busy: only the live time that overlaps the slot with the coach's buffers around it, [start - before,
//   start + duration + after): exactly what the engine's check of this one start can collide with (a day each
//   side, as before, was 190 intervals to parse and turn into Dates on a coach booked in 15-minute slots);
// - resumable: the student's own live hold on exactly this slot that can still be paid (it has its Checkout URL);
// - live_holds: the student's live unpaid holds (PENDING_PAYMENT, not expired), counted up to the cap, or 0.
//   The cap is a constant in the text, not a parameter: with `LIMIT $n` PostgreSQL's generic plan must assume an
//   unknown limit, and once the statistics show a student with many live holds (ANALYZE during the benchmark,
//   where one student makes every hold) it priced that plan far above the custom one and re-planned this
//   statement on every execution from then on: 0.35 -> 1.0-3.1 ms of PostgreSQL per hold
//   (tests/integration/hold-reads.test.ts).
const SLOT_WITH_BUFFERS = `tstzrange($7::timestamptz - make_interval(mins => c.buffer_before_minutes),
  $7::timestamptz + make_interval(mins => o.duration_minutes + c.buffer_after_minutes), '[)')`;
export const LOAD_FOR_HOLD_SQL = `SELECT ${contextColumns(SLOT_WITH_BUFFERS)},
    (SELECT json_build_object(
        'id', h.id, 'offering_id', h.offering_id, 'starts_ms', (extract(epoch FROM h.starts_at) * 1000)::float8, 'checkout_url', h.checkout_url,
        'hold_expires_ms', (extract(epoch FROM h.hold_expires_at) * 1000)::float8, 'price_minor', h.price_minor, 'currency', h.currency)
      FROM bookings h
      WHERE h.student_id = $6::text AND h.status = 'PENDING_PAYMENT' AND h.hold_expires_at > $2::timestamptz
        AND h.offering_id = o.id AND h.starts_at = $7::timestamptz AND h.checkout_url IS NOT NULL
      LIMIT 1) AS resumable,
    CASE WHEN $8::boolean THEN (SELECT count(*)::int FROM (
      SELECT 1 FROM bookings l
      WHERE l.student_id = $6::text AND l.status = 'PENDING_PAYMENT' AND l.hold_expires_at > $2::timestamptz
      LIMIT ${MAX_LIVE_HOLDS_PER_STUDENT}) counted) ELSE 0 END AS live_holds,
    (SELECT row_to_json(a) FROM (SELECT ${SESSION_ACCOUNT_COLUMNS} FROM users WHERE id = $6::text) a) AS account
  ${CONTEXT_FROM}`;

/**
 * Everything the availability engine needs for one active offering, in ONE database round trip: the offering,
 * its coach, the weekly rules, the date overrides that can matter for the window (from the later of `busyFrom`
 * and `now`, two local days of margin on each side, so past overrides are never read), and the live busy time
 * in [busyFrom, busyTo) through the exclusion constraint's index. Instants travel as epoch milliseconds.
 */
export async function loadOfferingRules(tx: Tx, offeringId: string, now: Date, busyFrom: Date, busyTo: Date, excludeBookingId?: string) {
  const values = [offeringId, now, busyFrom, busyTo, excludeBookingId ?? null];
  // Outside a transaction the query goes straight to the pool as a named statement: PostgreSQL parses and plans it
  // once per connection, which is most of its cost. Inside a transaction it must run on that transaction's client.
  const rows =
    tx === db
      ? await hotQuery<ContextRow>("coachbook_load_offering_rules", LOAD_OFFERING_RULES_SQL, values)
      : await tx.$queryRawUnsafe<ContextRow[]>(LOAD_OFFERING_RULES_SQL, ...values);
  const row = rows[0];
  if (!row || !row.offering.active) throw offeringGone();
  return toContext(row, now);
}

/**
 * loadOfferingRules for a caller that already holds an answer computed at `knownVersion` of the coach's
 * availability_version: `unchanged` when the version is still that one (every change that can alter the coach's
 * free time bumps it in the same transaction, see the availability_version migration), else the full context.
 * Either way ONE round trip, and an unchanged answer costs PostgreSQL a primary-key lookup only.
 */
export async function loadOfferingRulesIfChanged(offeringId: string, now: Date, busyFrom: Date, busyTo: Date, knownVersion: number | null) {
  const values = [offeringId, now, busyFrom, busyTo, null, knownVersion];
  const [row] = await hotQuery<{ version: number } & Partial<ContextRow>>("coachbook_load_offering_rules_if_changed", LOAD_OFFERING_RULES_IF_CHANGED_SQL, values);
  if (!row) throw offeringGone();
  if (knownVersion !== null && row.version === knownVersion) return { unchanged: true as const };
  const context = row as ContextRow;
  if (!context.offering?.active) throw offeringGone();
  return { unchanged: false as const, ...toContext(context, now) };
}

export const offeringGone = (): AppError => new AppError("NOT_FOUND", "This offering does not exist or is no longer offered.");

/**
 * What a new hold needs, in ONE round trip (the HTTP benchmark's create-booking was five before): the offering
 * context of loadOfferingRules for `start` (rules and overrides a day each side; busy time only where it can
 * touch the slot with its buffers, so the context is for checking THIS start only), plus the student's resumable hold on
 * this exact slot and the count of their live holds (up to `countLiveHoldsUpTo`), and the student's account row for
 * the session check (lib/http/route.ts routeWithAccountRead: no statement of its own for it). The resumable hold is
 * returned even when the offering has since been deactivated (paying for a hold already made stays possible);
 * `context` is then null. Null when there is no such offering at all.
 */
export async function loadHoldContext(offeringId: string, studentId: string, start: Date, now: Date, countLiveHolds: boolean) {
  const values = [offeringId, now, new Date(start.getTime() - DAY_MS), new Date(start.getTime() + DAY_MS), null, studentId, start, countLiveHolds];
  const [row] = await hotQuery<ContextRow & { resumable: LiveHoldRow | null; live_holds: number; account: SessionAccountRow | null }>("coachbook_load_for_hold", LOAD_FOR_HOLD_SQL, values);
  if (!row) return null;
  return {
    context: row.offering.active ? toContext(row, now) : null,
    resumable: row.resumable ? toLiveHold(row.resumable) : null,
    liveHolds: row.live_holds,
    account: row.account,
  };
}

export type OfferingContext = ReturnType<typeof toContext>;

function toContext(row: ContextRow, now: Date) {
  const offering = row.offering;
  const coach: CoachRow = { ...row.coach, calcomSyncedAt: row.coach.calcomSyncedAt ? new Date(row.coach.calcomSyncedAt) : null };
  const rules: AvailabilityRules = {
    timeZone: coach.timeZone,
    weeklyRules: row.weekly.map(([weekday, startMinute, endMinute]) => ({ weekday, startMinute, endMinute })),
    dateOverrides: row.overrides.map(([date, startMinute, endMinute]) => ({ date, startMinute, endMinute })),
    durationMinutes: offering.durationMinutes,
    slotIntervalMinutes: coach.slotIntervalMinutes,
    bufferBeforeMinutes: coach.bufferBeforeMinutes,
    bufferAfterMinutes: coach.bufferAfterMinutes,
    minimumNoticeMinutes: coach.minimumNoticeMinutes,
    bookingHorizonDays: coach.bookingHorizonDays,
    busy: row.busy.map(([start, end]) => ({ start: new Date(start), end: new Date(end) })),
    now,
  };
  return { offering, coach, rules };
}
