import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { getBookingForUser } from "@/lib/booking/queries";
import { addToCalendarLinks } from "@/lib/calendar/booking-invite";
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
  const refunded = booking.payments.reduce((sum, p) => sum + p.amountRefundedMinor, 0);
  const calendar = booking.status === "CONFIRMED" ? addToCalendarLinks(booking, "student") : null;
  return (
    <BookingStatusProvider initial={booking.status}>
      <div className="mx-auto max-w-2xl">
        <PageHeader title={booking.title} description={`with ${booking.coach.user.name}`} action={<LiveStatusBadge />} />
        <Card>
          <dl className="grid gap-4 text-sm sm:grid-cols-2">
            <div><dt className="text-slate-500">When ({user.timeZone})</dt><dd className="font-medium">{formatInZone(booking.startsAt, user.timeZone)} – {formatTimeInZone(booking.endsAt, user.timeZone)}</dd></div>
            <div><dt className="text-slate-500">Price</dt><dd className="font-medium">{formatMoney(booking.priceMinor, booking.currency)}</dd></div>
            {refunded > 0 ? <div><dt className="text-slate-500">Refunded</dt><dd className="font-medium" data-testid="refunded">{formatMoney(refunded, booking.currency)}</dd></div> : null}
            {booking.cancelReason ? <div className="sm:col-span-2"><dt className="text-slate-500">Note</dt><dd>{booking.cancelReason}</dd></div> : null}
          </dl>
          {calendar ? (
            <p className="mt-4 flex flex-wrap gap-x-4 gap-y-2 text-sm" data-testid="add-to-calendar">
              <span className="text-slate-500">Add to calendar:</span>
              <a href={calendar.icsUrl} className="font-medium text-brand-600 hover:underline" download>Download .ics</a>
              <a href={calendar.googleUrl} className="font-medium text-brand-600 hover:underline" target="_blank" rel="noopener noreferrer">Google Calendar</a>
            </p>
          ) : null}
          <PaymentWatcher
            bookingId={booking.id}
            checkout={checkout === "success" ? "success" : checkout === "cancelled" ? "cancelled" : null}
            checkoutUrl={booking.status === "PENDING_PAYMENT" ? booking.checkoutUrl : null}
            holdExpiresLabel={booking.holdExpiresAt ? formatTimeInZone(booking.holdExpiresAt, user.timeZone) : null}
          />
        </Card>
        <p className="mt-6 text-sm"><Link href="/student/bookings" className="font-medium text-brand-600 hover:underline">← All my bookings</Link></p>
      </div>
    </BookingStatusProvider>
  );
}
