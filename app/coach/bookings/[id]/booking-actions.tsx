import { BookingActions } from "@/components/booking/booking-actions";
import type { Booking } from "@/lib/generated/prisma/client";
import { bookingActionData } from "@/lib/booking/policy-view";

/**
 * The coach's Cancel and Reschedule on one booking: the same self-contained component as the student's page, in the
 * coach's words (a coach's cancellation always refunds 100%; the cut-off and the limit bind only the student).
 */
export async function CoachBookingActions({ booking, timeZone }: { booking: Booking; timeZone: string }) {
  const data = await bookingActionData(booking, "COACH");
  const live = ["CONFIRMED", "PENDING_PAYMENT", "AWAITING_FUNDS"].includes(booking.status) && booking.startsAt > new Date();
  return (
    <section aria-labelledby="actions-heading" className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="coach-booking-actions" data-booking-id={booking.id} data-status={booking.status}>
      <h2 id="actions-heading" className="font-semibold text-slate-900">Actions</h2>
      {data.movedToId ? (
        <p className="mt-2 text-sm text-slate-600">This booking was moved. <a className="font-medium text-brand-700 underline" href={`/coach/bookings/${data.movedToId}`} data-testid="moved-to">See the new booking</a>.</p>
      ) : !live ? (
        <p className="mt-2 text-sm text-slate-600">Nothing to do: this booking has ended or its session has started.</p>
      ) : null}
      <BookingActions
        bookingId={booking.id}
        status={booking.status}
        viewer="COACH"
        coachId={booking.coachId}
        offeringId={booking.offeringId}
        offerings={data.offerings}
        policyLines={data.policyLines}
        timeZone={timeZone}
        startsAt={booking.startsAt.toISOString()}
        bookingHrefBase="/coach/bookings"
        compact
      />
    </section>
  );
}
