import { db } from "@/lib/db/client";
import type { Booking } from "@/lib/generated/prisma/client";
import { refundSummary } from "@/lib/payments/ledger";
import { describePolicy, readPolicy, rescheduleRefusal } from "./policy";

/**
 * What a booking page needs to show Cancel / Reschedule: the policy snapshot in plain words, the sessions it may move
 * to (the coach's active offerings in the same currency), and the true state of its refunds (from the refund rows).
 */
export async function bookingActionData(booking: Pick<Booking, "id" | "coachId" | "currency" | "policy" | "rescheduledFromId" | "rescheduledToId" | "startsAt" | "rescheduleCount">, viewer: "STUDENT" | "COACH" | "ADMIN") {
  const [offerings, refunds, movedFrom] = await Promise.all([
    db.offering.findMany({
      where: { coachId: booking.coachId, active: true, currency: booking.currency },
      select: { id: true, title: true, priceMinor: true, currency: true, durationMinutes: true },
      orderBy: { priceMinor: "asc" },
    }),
    db.refund.findMany({ where: { payment: { bookingId: booking.id } }, select: { amountMinor: true, status: true } }),
    booking.rescheduledFromId ? db.booking.findUnique({ where: { id: booking.rescheduledFromId }, select: { id: true, startsAt: true } }) : null,
  ]);
  return {
    offerings,
    policyLines: describePolicy(readPolicy(booking.policy)),
    /** Why the student cannot move it now (the cut-off or the limit; coaches are not bound by them). */
    rescheduleBlocked: viewer === "STUDENT" ? rescheduleRefusal(readPolicy(booking.policy), booking.startsAt, new Date(), booking.rescheduleCount) : null,
    refund: refundSummary(refunds),
    movedFrom,
    movedToId: booking.rescheduledToId,
  };
}
