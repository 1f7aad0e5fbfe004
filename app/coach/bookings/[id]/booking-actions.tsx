/**
 * Where the coach's actions on one booking go (Cancel, and Reschedule once that lands). Deliberately empty of
 * buttons until those flows exist: a button that does nothing would be worse than none.
 */
export function CoachBookingActions({ bookingId, status }: { bookingId: string; status: string }) {
  return (
    <section aria-labelledby="actions-heading" className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="coach-booking-actions" data-booking-id={bookingId} data-status={status}>
      <h2 id="actions-heading" className="font-semibold text-slate-900">Actions</h2>
      <p className="mt-2 text-sm text-slate-600">Cancelling and rescheduling from Coachbook are not available yet.</p>
    </section>
  );
}
