import { db } from "@/lib/db/client";
import type { PaymentStatus } from "@/lib/generated/prisma/enums";

export type PaymentState = "PAID" | "REFUNDED" | "PARTLY_REFUNDED" | "AWAITING_PAYMENT" | "FAILED" | "NONE";

/** One word for the money side of a booking, from its payment rows (amounts in minor units). */
export function paymentState(payments: { status: PaymentStatus; amountMinor: number; amountRefundedMinor: number }[]): { state: PaymentState; paidMinor: number; refundedMinor: number } {
  const settled = payments.filter((p) => p.status === "SUCCEEDED" || p.status === "REFUNDED" || p.status === "PARTIALLY_REFUNDED");
  const paidMinor = settled.reduce((sum, p) => sum + p.amountMinor, 0);
  const refundedMinor = settled.reduce((sum, p) => sum + p.amountRefundedMinor, 0);
  if (settled.length > 0) {
    const state = refundedMinor === 0 ? "PAID" : refundedMinor >= paidMinor ? "REFUNDED" : "PARTLY_REFUNDED";
    return { state, paidMinor, refundedMinor };
  }
  if (payments.some((p) => p.status === "PENDING")) return { state: "AWAITING_PAYMENT", paidMinor, refundedMinor };
  if (payments.some((p) => p.status === "FAILED")) return { state: "FAILED", paidMinor, refundedMinor };
  return { state: "NONE", paidMinor, refundedMinor };
}

/** One booking of this coach with what the coach needs to see; null for an unknown id or another coach's booking. */
export async function getCoachBookingDetail(bookingId: string, coachUserId: string) {
  const booking = await db.booking.findUnique({
    where: { id: bookingId },
    include: {
      coach: { select: { userId: true, timeZone: true, user: { select: { timeZone: true } } } },
      student: { select: { name: true, email: true } },
      payments: { select: { status: true, amountMinor: true, amountRefundedMinor: true, currency: true } },
    },
  });
  if (!booking || booking.coach.userId !== coachUserId) return null;
  return { ...booking, payment: paymentState(booking.payments) };
}
