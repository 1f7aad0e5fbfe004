import { BookingActions } from "@/components/booking/booking-actions";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import type { BookingListItem } from "@/lib/booking/queries";
import { bookingActionData } from "@/lib/booking/policy-view";

/** Cancel / Reschedule for each upcoming booking in the coach's list (the same component as the student's page). */
export async function coachBookingActions(user: SessionUser, items: BookingListItem[]): Promise<Record<string, React.ReactNode>> {
  // Every upcoming row gets the component (it shows nothing for an ended booking), so an open dialog survives the
  // refresh that follows a cancel.
  const rows = await db.booking.findMany({ where: { id: { in: items.map((b) => b.id) } } });
  const result: Record<string, React.ReactNode> = {};
  for (const booking of rows) {
    const data = await bookingActionData(booking, "COACH");
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
        compact
        startsAt={booking.startsAt.toISOString()}
      />
    );
  }
  return result;
}
