import type { Metadata } from "next";
import { BookingActionsFor, BookingDetailFrame, Fact, Facts, MovedFacts } from "@/components/booking/booking-detail";
import { Card } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
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
      <BookingDetailFrame title={booking.title} withName={booking.coach.user.name} badge={<LiveStatusBadge />} viewer="STUDENT">
        <Card>
          <Facts>
            <Fact label={`When (${user.timeZone})`}>{formatInZone(booking.startsAt, user.timeZone)} – {formatTimeInZone(booking.endsAt, user.timeZone)}</Fact>
            <Fact label="Price">{formatMoney(booking.priceMinor, booking.currency)}</Fact>
            {refund.refundedMinor > 0 ? <Fact label="Refunded" testId="refunded">{formatMoney(refund.refundedMinor, booking.currency)}</Fact> : null}
            {refund.pendingMinor > 0 ? <Fact label="Refund on its way" testId="refund-pending">{formatMoney(refund.pendingMinor, booking.currency)}</Fact> : null}
            {refund.failedMinor > 0 && refund.state === "failed" ? <Fact label="Refund problem" wide className="text-red-700" testId="refund-failed">A refund of {formatMoney(refund.failedMinor, booking.currency)} did not go through. Our team has been alerted and will return the money another way.</Fact> : null}
            {booking.cancelReason ? <Fact label="Note" wide plain>{booking.cancelReason}</Fact> : null}
            {booking.notice ? <Fact label="Please note" wide plain testId="booking-notice">{booking.notice}</Fact> : null}
            <MovedFacts data={actions} viewer="STUDENT" timeZone={user.timeZone} />
          </Facts>
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
          <BookingActionsFor booking={booking} data={actions} viewer="STUDENT" timeZone={user.timeZone} />
        </Card>
      </BookingDetailFrame>
    </BookingStatusProvider>
  );
}
