import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { getBookingForUser } from "@/lib/booking/queries";
import { lastPaymentError } from "@/lib/booking/payment-attempt";
import { bookingPickerPath } from "@/lib/booking/picker-path";
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
  const live = booking.status === "PENDING_PAYMENT" && booking.holdExpiresAt !== null && booking.holdExpiresAt > new Date();
  // Back from Checkout without paying: say why when Stripe knows (a declined card), not just "cancelled".
  const declined = live && checkout === "cancelled" ? await lastPaymentError(booking.stripeCheckoutSessionId) : null;
  return (
    <BookingStatusProvider initial={booking.status}>
      <div className="mx-auto max-w-2xl">
        <PageHeader title={booking.title} description={`with ${booking.coach.user.name}`} action={<LiveStatusBadge />} />
        <Card>
          <dl className="grid gap-4 text-sm sm:grid-cols-2">
            <div><dt className="text-slate-600">When ({user.timeZone})</dt><dd className="font-medium">{formatInZone(booking.startsAt, user.timeZone)} – {formatTimeInZone(booking.endsAt, user.timeZone)}</dd></div>
            <div><dt className="text-slate-600">Price</dt><dd className="font-medium">{formatMoney(booking.priceMinor, booking.currency)}</dd></div>
            {refunded > 0 ? <div><dt className="text-slate-600">Refunded</dt><dd className="font-medium" data-testid="refunded">{formatMoney(refunded, booking.currency)}</dd></div> : null}
            {booking.cancelReason ? <div className="sm:col-span-2"><dt className="text-slate-600">Note</dt><dd>{booking.cancelReason}</dd></div> : null}
          </dl>
          <PaymentWatcher
            bookingId={booking.id}
            checkout={checkout === "success" ? "success" : checkout === "cancelled" ? "cancelled" : null}
            checkoutUrl={live ? booking.checkoutUrl : null}
            hold={booking.holdExpiresAt ? { expiresAt: booking.holdExpiresAt.toISOString(), label: formatTimeInZone(booking.holdExpiresAt, user.timeZone), timeZone: user.timeZone } : null}
            declined={declined}
            tryAgainHref={bookingPickerPath(booking.coach.slug, booking.offeringId, booking.startsAt.toISOString(), user.timeZone)}
          />
        </Card>
        <p className="mt-6 text-sm"><Link href="/student/bookings" className="font-medium text-brand-600 hover:underline">← All my bookings</Link></p>
      </div>
    </BookingStatusProvider>
  );
}
