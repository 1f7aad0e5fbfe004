import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { BookingActions } from "@/components/booking/booking-actions";
import { getBookingForUser } from "@/lib/booking/queries";
import { bookingActionData } from "@/lib/booking/policy-view";
import { orNotFound, pageParam } from "@/lib/http/pages";
import { lastPaymentError } from "@/lib/booking/payment-attempt";
import { bookingPickerPath } from "@/lib/booking/picker-path";
import { addToCalendarLinks } from "@/lib/calendar/booking-invite";
import { formatMoney } from "@/lib/money";
import { refundSummary } from "@/lib/payments/ledger";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";
import { BookingStatusProvider, LiveStatusBadge } from "./booking-status";
import { PaymentWatcher } from "./payment-watcher";

export const metadata: Metadata = { title: "Booking" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ checkout?: string }> };

export default async function BookingPage({ params, searchParams }: Props) {
  const id = pageParam((await params).id);
  const { checkout } = await searchParams;
  const user = await requirePageUser(["STUDENT"], `/student/bookings/${id}`);
  // Unknown, or someone else's: the same 404, so ids of other people's bookings reveal nothing.
  const booking = await orNotFound(getBookingForUser(id, user.id));
  // The true state of the money, from the refund rows (a failed refund is not shown as refunded).
  const refund = refundSummary(booking.payments.flatMap((p) => p.refunds));
  // "On your coach's calendar" only once Cal.com has accepted it; coaches without Cal.com have only this app.
  const calendar = booking.calcomStatus === "accepted" ? "accepted" : booking.calcomBookingUid || booking.offering.calcomEventTypeId ? "pending" : "none";
  const live = booking.status === "PENDING_PAYMENT" && booking.holdExpiresAt !== null && booking.holdExpiresAt > new Date();
  // Back from Checkout without paying: say why when Stripe knows (a declined card), not just "cancelled".
  const declined = live && checkout === "cancelled" ? await lastPaymentError(booking.stripeCheckoutSessionId) : null;
  const addToCalendar = booking.status === "CONFIRMED" ? addToCalendarLinks(booking, "student") : null;
  const actions = await bookingActionData(booking, "STUDENT");
  return (
    <BookingStatusProvider initial={booking.status}>
      <div className="mx-auto max-w-2xl">
        <PageHeader title={booking.title} description={`with ${booking.coach.user.name}`} action={<LiveStatusBadge />} />
        <Card>
          <dl className="grid gap-4 text-sm sm:grid-cols-2">
            <div><dt className="text-slate-600">When ({user.timeZone})</dt><dd className="font-medium">{formatInZone(booking.startsAt, user.timeZone)} – {formatTimeInZone(booking.endsAt, user.timeZone)}</dd></div>
            <div><dt className="text-slate-600">Price</dt><dd className="font-medium">{formatMoney(booking.priceMinor, booking.currency)}</dd></div>
            {refund.refundedMinor > 0 ? <div><dt className="text-slate-600">Refunded</dt><dd className="font-medium" data-testid="refunded">{formatMoney(refund.refundedMinor, booking.currency)}</dd></div> : null}
            {refund.pendingMinor > 0 ? <div><dt className="text-slate-600">Refund on its way</dt><dd className="font-medium" data-testid="refund-pending">{formatMoney(refund.pendingMinor, booking.currency)}</dd></div> : null}
            {refund.failedMinor > 0 && refund.state === "failed" ? <div className="sm:col-span-2"><dt className="text-slate-600">Refund problem</dt><dd className="font-medium text-red-700" data-testid="refund-failed">A refund of {formatMoney(refund.failedMinor, booking.currency)} did not go through. Our team has been alerted and will return the money another way.</dd></div> : null}
            {booking.cancelReason ? <div className="sm:col-span-2"><dt className="text-slate-600">Note</dt><dd>{booking.cancelReason}</dd></div> : null}
            {booking.notice ? <div className="sm:col-span-2"><dt className="text-slate-600">Please note</dt><dd data-testid="booking-notice">{booking.notice}</dd></div> : null}
            {actions.movedToId ? <div className="sm:col-span-2"><dt className="text-slate-600">Moved</dt><dd><Link href={`/student/bookings/${actions.movedToId}`} className="font-medium text-brand-600 hover:underline" data-testid="moved-to">See the new booking →</Link></dd></div> : null}
            {actions.movedFrom ? <div className="sm:col-span-2"><dt className="text-slate-600">Moved from</dt><dd data-testid="moved-from">{formatInZone(actions.movedFrom.startsAt, user.timeZone)}</dd></div> : null}
          </dl>
          {addToCalendar ? (
            <p className="mt-4 flex flex-wrap gap-x-4 gap-y-2 text-sm" data-testid="add-to-calendar">
              <span className="text-slate-600">Add to calendar:</span>
              <a href={addToCalendar.icsUrl} className="font-medium text-brand-600 hover:underline" download>Download .ics</a>
              <a href={addToCalendar.googleUrl} className="font-medium text-brand-600 hover:underline" target="_blank" rel="noopener noreferrer">Google Calendar</a>
            </p>
          ) : null}
          <PaymentWatcher
            bookingId={booking.id}
            calendar={calendar}
            checkout={checkout === "success" ? "success" : checkout === "cancelled" ? "cancelled" : null}
            checkoutUrl={live ? booking.checkoutUrl : null}
            hold={booking.holdExpiresAt ? { expiresAt: booking.holdExpiresAt.toISOString(), label: formatTimeInZone(booking.holdExpiresAt, user.timeZone), timeZone: user.timeZone } : null}
            declined={declined}
            tryAgainHref={bookingPickerPath(booking.coach.slug, booking.offeringId, booking.startsAt.toISOString(), user.timeZone)}
          />
          <BookingActions
            bookingId={booking.id}
            status={booking.status}
            viewer="STUDENT"
            coachId={booking.coachId}
            offeringId={booking.offeringId}
            offerings={actions.offerings}
            policyLines={actions.policyLines}
            rescheduleBlocked={actions.rescheduleBlocked}
            timeZone={user.timeZone}
            startsAt={booking.startsAt.toISOString()}
            bookingHrefBase="/student/bookings"
          />
        </Card>
        <p className="mt-6 text-sm"><Link href="/student/bookings" className="font-medium text-brand-600 hover:underline">← All my bookings</Link></p>
      </div>
    </BookingStatusProvider>
  );
}
