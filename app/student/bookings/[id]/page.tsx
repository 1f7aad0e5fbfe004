import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { BookingActions } from "@/components/booking/booking-actions";
import { RefundLines } from "@/components/booking/refund-lines";
import { getBookingForUser } from "@/lib/booking/queries";
import { bookingActionData } from "@/lib/booking/policy-view";
import { formatMoney } from "@/lib/money";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";
import { BookingStatusProvider, LiveStatusBadge } from "./booking-status";
import { PaymentWatcher } from "./payment-watcher";

export const metadata: Metadata = { title: "Booking" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ checkout?: string }> };

export default async function BookingPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { checkout } = await searchParams;
  const user = await requirePageUser(["STUDENT"], `/student/bookings/${id}`);
  const booking = await getBookingForUser(id, user.id);
  const actions = await bookingActionData(booking, "STUDENT");
  return (
    <BookingStatusProvider initial={booking.status}>
      <div className="mx-auto max-w-2xl">
        <PageHeader title={booking.title} description={`with ${booking.coach.user.name}`} action={<LiveStatusBadge />} />
        <Card>
          <dl className="grid gap-4 text-sm sm:grid-cols-2">
            <div><dt className="text-slate-500">When ({user.timeZone})</dt><dd className="font-medium">{formatInZone(booking.startsAt, user.timeZone)} – {formatTimeInZone(booking.endsAt, user.timeZone)}</dd></div>
            <div><dt className="text-slate-500">Price</dt><dd className="font-medium">{formatMoney(booking.priceMinor, booking.currency)}</dd></div>
            {booking.cancelReason ? <div className="sm:col-span-2"><dt className="text-slate-500">Note</dt><dd>{booking.cancelReason}</dd></div> : null}
            <RefundLines refund={actions.refund} currency={booking.currency} />
            {booking.notice ? <div className="sm:col-span-2"><dt className="text-slate-500">Please note</dt><dd data-testid="booking-notice">{booking.notice}</dd></div> : null}
            {actions.movedToId ? <div className="sm:col-span-2"><dt className="text-slate-500">Moved</dt><dd><Link href={`/student/bookings/${actions.movedToId}`} className="font-medium text-brand-600 hover:underline" data-testid="moved-to">See the new booking →</Link></dd></div> : null}
            {actions.movedFrom ? <div className="sm:col-span-2"><dt className="text-slate-500">Moved from</dt><dd data-testid="moved-from">{formatInZone(actions.movedFrom.startsAt, user.timeZone)}</dd></div> : null}
          </dl>
          <PaymentWatcher
            bookingId={booking.id}
            checkout={checkout === "success" ? "success" : checkout === "cancelled" ? "cancelled" : null}
            checkoutUrl={booking.status === "PENDING_PAYMENT" ? booking.checkoutUrl : null}
            holdExpiresLabel={booking.holdExpiresAt ? formatTimeInZone(booking.holdExpiresAt, user.timeZone) : null}
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
