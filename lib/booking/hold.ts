import { randomUUID } from "node:crypto";
import { addMinutes } from "date-fns";
import { blockedRange, isSlotBookable } from "@/lib/availability";
import { db, hotCount, hotQuery } from "@/lib/db/client";
import { isExclusionViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";
import type { Booking } from "@/lib/generated/prisma/client";
import { snapshotPolicy } from "./policy";
import { loadOfferingRules, type CoachRow, type OfferingContext, type OfferingRow } from "./rules";

const DAY_MS = 86_400_000;

export interface HoldInput {
  studentId: string;
  offeringId: string;
  start: Date;
  studentTimeZone: string;
  holdMinutes: number;
}

/**
 * Holds a slot as a PENDING_PAYMENT booking. The availability engine re-checks the slot against the coach's
 * rules (a stale page cannot book a time that is no longer offered), and the `bookings_no_overlap` exclusion
 * constraint settles races: of two students inserting the same slot at once, exactly one insert succeeds.
 */
export async function holdSlot(input: HoldInput, now = new Date()): Promise<Booking> {
  return (await holdSlotWithOffering(input, now)).booking;
}

/**
 * The same, also returning the offering and coach it read (createBooking needs the Cal.com event type and the
 * coach's name for Checkout: no second read).
 */
export async function holdSlotWithOffering(input: HoldInput, now = new Date()): Promise<{ booking: Booking; offering: OfferingRow; coach: CoachRow }> {
  const context = await loadOfferingRules(db, input.offeringId, now, new Date(input.start.getTime() - DAY_MS), new Date(input.start.getTime() + DAY_MS));
  return { booking: await insertHold(context, input, now), offering: context.offering, coach: context.coach };
}

/** A hold decided but not yet written: its id, times and snapshots (what the Checkout Session is made from). */
export type PlannedHold = Pick<Booking, "id" | "coachId" | "studentId" | "offeringId" | "startsAt" | "endsAt" | "blockedFrom" | "blockedUntil" | "studentTimeZone" | "title" | "priceMinor" | "currency"> & {
  holdExpiresAt: Date;
  policy: ReturnType<typeof snapshotPolicy>;
};

/**
 * The hold for `input.start`, given the offering context read for it (busy time covering at least [start - buffer
 * before, start + duration + buffer after), all the engine's check of this one start can collide with): the engine
 * re-checks the slot (a stale page cannot book a time that is no longer offered) and the snapshots are taken.
 * Nothing is written: writeHold does that, and the exclusion constraint has the last word.
 */
export function planHold(context: Pick<OfferingContext, "offering" | "coach" | "rules">, input: HoldInput, now = new Date()): PlannedHold {
  const { offering, coach, rules } = context;
  if (!isSlotBookable(rules, input.start)) {
    throw new AppError("SLOT_TAKEN", "That time is no longer available. Please pick another slot.");
  }
  const end = addMinutes(input.start, offering.durationMinutes);
  const blocked = blockedRange(input.start, end, coach.bufferBeforeMinutes, coach.bufferAfterMinutes);
  return {
    id: randomUUID(), coachId: coach.id, studentId: input.studentId, offeringId: offering.id, startsAt: input.start, endsAt: end,
    blockedFrom: blocked.from, blockedUntil: blocked.until, holdExpiresAt: addMinutes(now, input.holdMinutes),
    studentTimeZone: input.studentTimeZone, title: offering.title, priceMinor: offering.priceMinor, currency: offering.currency,
    policy: snapshotPolicy(coach),
  };
}

/** The Checkout Session a hold is written with (create-booking makes the session first, then the hold). */
export interface HoldCheckout {
  sessionId: string;
  url: string;
}

/**
 * Writes a planned hold in ONE statement; the `bookings_no_overlap` exclusion constraint refuses it (SLOT_TAKEN) if
 * another live booking got the time first.
 *
 * A named statement on the pool rather than Prisma's `booking.create` (about 0.7 ms less CPU on create-booking's
 * hot path, docs/BENCHMARKS.md). It sets what Prisma would set on its side: the ids (UUIDs, as the other raw
 * inserts do; ids are opaque strings) and updated_at; the database fills its defaults. The row comes back with
 * RETURNING * and is given Prisma's field names (snake_case to camelCase, the schema's @map convention), so it is
 * the same Booking that `db.booking.findUnique` would return (tests/integration/booking-hold.test.ts checks that).
 */
export async function writeHold(plan: PlannedHold): Promise<Booking> {
  const [row] = await refusedIfTaken(hotQuery<Record<string, unknown>>("coachbook_insert_hold", INSERT_HOLD_SQL, holdValues(plan)));
  if (!row) throw slotTaken();
  return camelCaseRow<Booking>(row);
}

/**
 * create-booking's write: the planned hold, the Checkout Session recorded on it and its PENDING payment row, in ONE
 * statement (atomic: no hold without its payment row, and no later UPDATE of the new row; docs/BENCHMARKS.md,
 * eighth pass). Nothing comes back: the caller has the plan, and a statement without a result has no row
 * description to turn into parsers and no 38-column row to parse on every hold (ninth pass). The exclusion
 * constraint refuses it as writeHold's does (SLOT_TAKEN).
 */
export async function writeHoldWithCheckout(plan: PlannedHold, checkout: HoldCheckout): Promise<void> {
  const inserted = await refusedIfTaken(hotCount("coachbook_insert_hold_with_checkout", INSERT_HOLD_WITH_CHECKOUT_SQL, [...holdValues(plan), checkout.sessionId, checkout.url, randomUUID()]));
  if (inserted !== 1) throw slotTaken();
}

const slotTaken = () => new AppError("SLOT_TAKEN", "Someone just took this slot. Please pick another time.");

const holdValues = (plan: PlannedHold) => [
  plan.id, plan.coachId, plan.studentId, plan.offeringId, plan.startsAt, plan.endsAt, plan.blockedFrom, plan.blockedUntil,
  plan.holdExpiresAt, plan.studentTimeZone, plan.title, plan.priceMinor, plan.currency, JSON.stringify(plan.policy),
];

async function refusedIfTaken<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isExclusionViolation(error)) throw slotTaken();
    throw error;
  }
}

/** Plans and writes a hold without a Checkout Session (holdSlot: tests and tools that pay some other way). */
export async function insertHold(context: Pick<OfferingContext, "offering" | "coach" | "rules">, input: HoldInput, now = new Date()): Promise<Booking> {
  return writeHold(planHold(context, input, now));
}

// ON CONFLICT DO NOTHING: a hold that collides with a live booking (the bookings_no_overlap exclusion constraint,
// or any unique index) is simply not inserted, and the caller sees no row: SLOT_TAKEN. A plain INSERT also refuses
// it, but two plain INSERTs of overlapping holds at the same moment can each wait for the other's uncommitted row,
// and PostgreSQL then aborts one with "deadlock detected" (40P01) after deadlock_timeout (1 s): 5 of 500 racing
// attempts did so, and reached the student as a 500. ON CONFLICT without a target takes every unique index and
// exclusion constraint as its arbiter, and its speculative insertion pre-checks for a conflicting row and, when one
// was inserted concurrently, deletes its own and tries again instead of waiting on it (postgres/postgres commit
// 168d5805, "Add support for INSERT ... ON CONFLICT DO NOTHING/UPDATE"): 0 deadlocks in the same probe. The
// interleaving is forced in tests/support/holds.ts writeAroundAWaitingHold (booking-hold and checkout-before-hold).
const HOLD_COLUMNS = `id, coach_id, student_id, offering_id, status, starts_at, ends_at, blocked_from, blocked_until,
                        hold_expires_at, student_time_zone, title, price_minor, currency, policy`;
const HOLD_VALUES = `$1::text, $2::text, $3::text, $4::text, 'PENDING_PAYMENT'::"BookingStatus", $5::timestamptz, $6::timestamptz, $7::timestamptz,
          $8::timestamptz, $9::timestamptz, $10::text, $11::text, $12::integer, $13::text, $14::jsonb`;

const INSERT_HOLD_SQL = `
  INSERT INTO bookings (${HOLD_COLUMNS}, updated_at)
  VALUES (${HOLD_VALUES}, now())
  ON CONFLICT DO NOTHING
  RETURNING *`;

// $15 Checkout Session id, $16 its URL, $17 the payment row's id. The payment is inserted from the hold's RETURNING
// inside the statement, so it exists exactly when the hold does; the statement itself returns no rows.
const INSERT_HOLD_WITH_CHECKOUT_SQL = `
  WITH hold AS (
    INSERT INTO bookings (${HOLD_COLUMNS}, stripe_checkout_session_id, checkout_url, updated_at)
    VALUES (${HOLD_VALUES}, $15::text, $16::text, now())
    ON CONFLICT DO NOTHING
    RETURNING id, price_minor, currency, stripe_checkout_session_id)
  INSERT INTO payments (id, booking_id, status, amount_minor, currency, stripe_checkout_session_id, updated_at)
  SELECT $17::text, hold.id, 'PENDING'::"PaymentStatus", hold.price_minor, hold.currency, hold.stripe_checkout_session_id, now() FROM hold`;

// Column name -> field name, worked out once per column (a regex replace per column per hold was 0.8% of
// create-booking's CPU samples, bench/profile.ts). Bounded by the table's columns.
const fieldNames = new Map<string, string>();

function camelCaseRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    let field = fieldNames.get(key);
    if (field === undefined) {
      field = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      fieldNames.set(key, field);
    }
    out[field] = row[key];
  }
  return out as T;
}
