import { db } from "@/lib/db/client";

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

/** A live hold as SQL gives it (epoch milliseconds), lib/booking/rules.ts loadHoldContext. */
export interface LiveHoldRow {
  id: string;
  offering_id: string;
  starts_ms: number;
  checkout_url: string | null;
  hold_expires_ms: number;
  price_minor: number;
  currency: string;
}

export function toLiveHold(r: LiveHoldRow): LiveHold {
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

/** The student's live holds for one offering, for the slot picker's "you already hold…" notice. */
export async function listLiveHolds(studentId: string, offeringId: string, now = new Date()) {
  return db.booking.findMany({
    where: { ...liveHoldWhere(studentId, now), offeringId },
    select: { id: true, startsAt: true, endsAt: true, holdExpiresAt: true, checkoutUrl: true },
    orderBy: { startsAt: "asc" },
  });
}
