import { db, hotQuery } from "@/lib/db/client";

/** A student's own hold that can still be paid: pending, not expired, with its Checkout URL. */
function liveHoldWhere(studentId: string, now: Date) {
  return { studentId, status: "PENDING_PAYMENT" as const, holdExpiresAt: { gt: now }, checkoutUrl: { not: null } };
}

/** A live hold as create-booking answers it (resumed or counted against the cap). */
export interface LiveHold {
  id: string;
  offeringId: string;
  startsAt: Date;
  checkoutUrl: string | null;
  holdExpiresAt: Date;
  priceMinor: number;
  currency: string;
}

interface LiveHoldRow {
  id: string;
  offering_id: string;
  starts_ms: number;
  checkout_url: string | null;
  hold_expires_ms: number;
  price_minor: number;
  currency: string;
}

// $1 student, $2 now, $3 limit. Oldest first: the cap keeps the earliest holds when requests race.
const LIVE_HOLDS_SQL = `
  SELECT id, offering_id, (extract(epoch FROM starts_at) * 1000)::float8 AS starts_ms, checkout_url,
         (extract(epoch FROM hold_expires_at) * 1000)::float8 AS hold_expires_ms, price_minor, currency
  FROM bookings
  WHERE student_id = $1 AND status = 'PENDING_PAYMENT' AND hold_expires_at > $2::timestamptz
  ORDER BY created_at ASC, id ASC
  LIMIT $3`;

/**
 * The student's live unpaid holds, oldest first (at most `limit`): create-booking's hot read, a named statement
 * on the pool rather than a Prisma query (lib/db/client.ts hotQuery says why).
 */
export async function readLiveHolds(studentId: string, limit: number, now = new Date()): Promise<LiveHold[]> {
  const rows = await hotQuery<LiveHoldRow>("coachbook_live_holds", LIVE_HOLDS_SQL, [studentId, now, limit]);
  return rows.map(toLiveHold);
}

function toLiveHold(r: LiveHoldRow): LiveHold {
  return {
    id: r.id,
    offeringId: r.offering_id,
    startsAt: new Date(r.starts_ms),
    checkoutUrl: r.checkout_url,
    holdExpiresAt: new Date(r.hold_expires_ms),
    priceMinor: r.price_minor,
    currency: r.currency,
  };
}

/** The hold among `live` on exactly this slot that can still be paid (it has its Checkout URL), as create-booking answers it. */
export function resumableHold(live: LiveHold[], offeringId: string, start: Date) {
  const same = live.find((b) => b.offeringId === offeringId && b.startsAt.getTime() === start.getTime() && b.checkoutUrl);
  return same ? { bookingId: same.id, checkoutUrl: same.checkoutUrl!, holdExpiresAt: same.holdExpiresAt.toISOString(), amountMinor: same.priceMinor, currency: same.currency } : null;
}

// $1 student, $2 now, $3 offering, $4 start.
const LIVE_HOLD_ON_SLOT_SQL = `
  SELECT id, offering_id, (extract(epoch FROM starts_at) * 1000)::float8 AS starts_ms, checkout_url,
         (extract(epoch FROM hold_expires_at) * 1000)::float8 AS hold_expires_ms, price_minor, currency
  FROM bookings
  WHERE student_id = $1 AND status = 'PENDING_PAYMENT' AND hold_expires_at > $2::timestamptz
    AND offering_id = $3 AND starts_at = $4::timestamptz AND checkout_url IS NOT NULL
  LIMIT 1`;

/**
 * The live hold of this student on exactly this slot, if any: a repeated "Continue to payment" (back from
 * Checkout, a double click, a second tab) resumes it instead of racing the student's own hold.
 */
export async function findLiveHold(studentId: string, offeringId: string, start: Date, now = new Date()) {
  const rows = await hotQuery<LiveHoldRow>("coachbook_live_hold_on_slot", LIVE_HOLD_ON_SLOT_SQL, [studentId, now, offeringId, start]);
  return resumableHold(rows.map(toLiveHold), offeringId, start);
}

/** The student's live holds for one offering, for the slot picker's "you already hold…" notice. */
export async function listLiveHolds(studentId: string, offeringId: string, now = new Date()) {
  return db.booking.findMany({
    where: { ...liveHoldWhere(studentId, now), offeringId },
    select: { id: true, startsAt: true, endsAt: true, holdExpiresAt: true, checkoutUrl: true },
    orderBy: { startsAt: "asc" },
  });
}
