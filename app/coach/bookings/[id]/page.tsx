import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BookingDetailFrame, Fact, Facts, MovedFacts } from "@/components/booking/booking-detail";
import { StatusBadge } from "@/components/booking/status-badge";
import { Card } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { getCoachBookingDetail, type PaymentState } from "@/lib/booking/coach-detail";
import { bookingActionData } from "@/lib/booking/policy-view";
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
  const actions = await bookingActionData(booking, "COACH");
  return (
    <BookingDetailFrame title={booking.title} withName={booking.student.name} badge={<StatusBadge status={booking.status} />} viewer="COACH">
      <Card>
        <Facts>
          <Fact label="Student" testId="student-name">{booking.student.name}</Fact>
          <Fact label="Email" className="break-all"><a className="text-brand-700 underline" href={`mailto:${booking.student.email}`} data-testid="student-email">{booking.student.email}</a></Fact>
          <Fact label={`Your time (${user.timeZone})`} testId="time-coach">{when(user.timeZone)}</Fact>
          <Fact label={`Student's time (${booking.studentTimeZone})`} testId="time-student">{when(booking.studentTimeZone)}</Fact>
          <Fact label="Price">{formatMoney(booking.priceMinor, booking.currency)}</Fact>
          <Fact label="Payment" testId="payment-state" state={payment.state}>
            {PAYMENT_LABEL[payment.state]}
            {payment.refundedMinor > 0 ? ` (${formatMoney(payment.refundedMinor, booking.currency)} refunded)` : ""}
          </Fact>
          <Fact label="Cal.com" testId="calcom-state">
            {booking.calcomBookingUid ? `${booking.calcomStatus ?? "created"} (booking ${booking.calcomBookingUid})` : "Not on Cal.com (local availability)"}
          </Fact>
          {booking.cancelReason ? <Fact label="Note" wide plain>{booking.cancelReason}</Fact> : null}
          <MovedFacts data={actions} viewer="COACH" timeZone={user.timeZone} />
        </Facts>
      </Card>
      <CoachBookingActions booking={booking} data={actions} timeZone={user.timeZone} />
    </BookingDetailFrame>
  );
}
