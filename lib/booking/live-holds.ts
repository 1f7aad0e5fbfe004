import { db } from "@/lib/db/client";

/** A student's own hold that can still be paid: pending, not expired, with its Checkout URL. */
function liveHoldWhere(studentId: string, now: Date) {
  return { studentId, status: "PENDING_PAYMENT" as const, holdExpiresAt: { gt: now }, checkoutUrl: { not: null } };
}

/**
 * The live hold of this student on exactly this slot, if any: a repeated "Continue to payment" (back from
 * Checkout, a double click, a second tab) resumes it instead of racing the student's own hold.
 */
export async function findLiveHold(studentId: string, offeringId: string, start: Date, now = new Date()) {
  const hold = await db.booking.findFirst({ where: { ...liveHoldWhere(studentId, now), offeringId, startsAt: start } });
  if (!hold?.checkoutUrl || !hold.holdExpiresAt) return null;
  return { bookingId: hold.id, checkoutUrl: hold.checkoutUrl, holdExpiresAt: hold.holdExpiresAt.toISOString(), amountMinor: hold.priceMinor, currency: hold.currency };
}

/** The student's live holds for one offering, for the slot picker's "you already hold…" notice. */
export async function listLiveHolds(studentId: string, offeringId: string, now = new Date()) {
  return db.booking.findMany({
    where: { ...liveHoldWhere(studentId, now), offeringId },
    select: { id: true, startsAt: true, endsAt: true, holdExpiresAt: true, checkoutUrl: true },
    orderBy: { startsAt: "asc" },
  });
}
