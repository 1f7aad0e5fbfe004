import { BookingActionsFor } from "@/components/booking/booking-detail";
import type { Booking } from "@/lib/generated/prisma/client";
import type { bookingActionData } from "@/lib/booking/policy-view";

/**
 * The coach's Cancel and Reschedule on one booking: the same component as the student's page, in the coach's words
 * (a coach's cancellation always refunds 100%; the cut-off and the limit bind only the student).
 */
export function CoachBookingActions({ booking, data, timeZone }: { booking: Booking; data: Awaited<ReturnType<typeof bookingActionData>>; timeZone: string }) {
  const live = ["CONFIRMED", "PENDING_PAYMENT", "AWAITING_FUNDS"].includes(booking.status) && booking.startsAt > new Date();
  return (
    <section aria-labelledby="actions-heading" className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="coach-booking-actions" data-booking-id={booking.id} data-status={booking.status}>
      <h2 id="actions-heading" className="font-semibold text-slate-900">Actions</h2>
      {data.movedToId ? (
        <p className="mt-2 text-sm text-slate-600">Nothing to do here: this booking was moved, and the new booking has its own actions.</p>
      ) : !live ? (
        <p className="mt-2 text-sm text-slate-600">Nothing to do: this booking has ended or its session has started.</p>
      ) : null}
      <BookingActionsFor booking={booking} data={data} viewer="COACH" timeZone={timeZone} compact />
    </section>
  );
}
