import { db } from "@/lib/db/client";
import type { Booking } from "@/lib/generated/prisma/client";
import { describePolicy, readPolicy, rescheduleRefusal } from "./policy";

/**
 * What a booking page needs to show Cancel / Reschedule: the policy snapshot in plain words, the sessions it may move
 * to (the coach's active offerings in the same currency), why the student cannot move it now, and the moved links.
 */
export async function bookingActionData(booking: Pick<Booking, "id" | "coachId" | "currency" | "policy" | "rescheduledFromId" | "rescheduledToId" | "startsAt" | "rescheduleCount">, viewer: "STUDENT" | "COACH" | "ADMIN") {
  const [offerings, movedFrom] = await Promise.all([
    db.offering.findMany({
      where: { coachId: booking.coachId, active: true, currency: booking.currency },
      select: { id: true, title: true, priceMinor: true, currency: true, durationMinutes: true },
      orderBy: { priceMinor: "asc" },
    }),
    booking.rescheduledFromId ? db.booking.findUnique({ where: { id: booking.rescheduledFromId }, select: { id: true, startsAt: true } }) : null,
  ]);
  // A page must render even for a row whose snapshot cannot be read (hand-made data); the actions then say so.
  const policy = safeReadPolicy(booking.policy);
  return {
    offerings,
    policyLines: policy ? describePolicy(policy) : ["The policy saved with this booking cannot be read; contact support before cancelling."],
    /** Why the student cannot move it now (the cut-off or the limit; coaches are not bound by them). */
    rescheduleBlocked: viewer === "STUDENT" && policy ? rescheduleRefusal(policy, booking.startsAt, new Date(), booking.rescheduleCount) : null,
    movedFrom,
    movedToId: booking.rescheduledToId,
  };
}

function safeReadPolicy(stored: unknown) {
  try {
    return readPolicy(stored);
  } catch {
    return null;
  }
}
