import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StatusBadge } from "@/components/booking/status-badge";
import { Card, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { getCoachBookingDetail, type PaymentState } from "@/lib/booking/coach-detail";
import { formatMoney } from "@/lib/money";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";
import { CoachBookingActions } from "./booking-actions";

export const metadata: Metadata = { title: "Booking" };

const PAYMENT_LABEL: Record<PaymentState, string> = {
  PAID: "Paid",
  REFUNDED: "Refunded",
  PARTLY_REFUNDED: "Partly refunded",
  AWAITING_PAYMENT: "Awaiting payment",
  FAILED: "Payment failed",
  NONE: "No payment",
};

export default async function CoachBookingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(["COACH"], `/coach/bookings/${id}`);
  const booking = await getCoachBookingDetail(id, user.id);
  if (!booking) notFound();
  const when = (zone: string) => `${formatInZone(booking.startsAt, zone)} – ${formatTimeInZone(booking.endsAt, zone)}`;
  const { payment } = booking;
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title={booking.title} description={`with ${booking.student.name}`} action={<StatusBadge status={booking.status} />} />
      <Card>
        <dl className="grid gap-4 text-sm sm:grid-cols-2">
          <div><dt className="text-slate-600">Student</dt><dd className="font-medium" data-testid="student-name">{booking.student.name}</dd></div>
          <div><dt className="text-slate-600">Email</dt><dd className="break-all font-medium"><a className="text-brand-700 underline" href={`mailto:${booking.student.email}`} data-testid="student-email">{booking.student.email}</a></dd></div>
          <div><dt className="text-slate-600">Your time ({user.timeZone})</dt><dd className="font-medium" data-testid="time-coach">{when(user.timeZone)}</dd></div>
          <div><dt className="text-slate-600">Student&apos;s time ({booking.studentTimeZone})</dt><dd className="font-medium" data-testid="time-student">{when(booking.studentTimeZone)}</dd></div>
          <div><dt className="text-slate-600">Price</dt><dd className="font-medium">{formatMoney(booking.priceMinor, booking.currency)}</dd></div>
          <div>
            <dt className="text-slate-600">Payment</dt>
            <dd className="font-medium" data-testid="payment-state" data-state={payment.state}>
              {PAYMENT_LABEL[payment.state]}
              {payment.refundedMinor > 0 ? ` (${formatMoney(payment.refundedMinor, booking.currency)} refunded)` : ""}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Cal.com</dt>
            <dd className="font-medium" data-testid="calcom-state">
              {booking.calcomBookingUid ? `${booking.calcomStatus ?? "created"} (booking ${booking.calcomBookingUid})` : "Not on Cal.com (local availability)"}
            </dd>
          </div>
          {booking.cancelReason ? <div className="sm:col-span-2"><dt className="text-slate-600">Note</dt><dd>{booking.cancelReason}</dd></div> : null}
        </dl>
      </Card>
      <CoachBookingActions booking={booking} timeZone={user.timeZone} />
      <p className="mt-6 text-sm"><Link href="/coach/bookings" className="font-medium text-brand-700 hover:underline">← All bookings</Link></p>
    </div>
  );
}
