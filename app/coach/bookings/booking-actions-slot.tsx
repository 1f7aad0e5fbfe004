import { BookingActions } from "@/components/booking/booking-actions";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import type { BookingListItem } from "@/lib/booking/queries";
import { bookingActionData } from "@/lib/booking/policy-view";

/** Cancel / Reschedule for each upcoming live booking in the coach's list (the same component as the student's page). */
export async function coachBookingActions(user: SessionUser, items: BookingListItem[]): Promise<Record<string, React.ReactNode>> {
  const live = items.filter((b) => b.status === "CONFIRMED" || b.status === "PENDING_PAYMENT" || b.status === "AWAITING_FUNDS");
  const rows = await db.booking.findMany({ where: { id: { in: live.map((b) => b.id) } } });
  const result: Record<string, React.ReactNode> = {};
  for (const booking of rows) {
    const data = await bookingActionData(booking);
    result[booking.id] = (
      <BookingActions
        bookingId={booking.id}
        status={booking.status}
        viewer="COACH"
        coachId={booking.coachId}
        offeringId={booking.offeringId}
        offerings={data.offerings}
        policyLines={data.policyLines}
        timeZone={user.timeZone}
        startsAt={booking.startsAt.toISOString()}
      />
    );
  }
  return result;
}
