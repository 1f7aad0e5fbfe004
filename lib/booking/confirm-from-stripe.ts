import type Stripe from "stripe";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/auth/session";
import { getStripe, isPaidSession, paidCheckoutFrom, toAppError } from "@/lib/payments/stripe";
import { refundSummary } from "@/lib/payments/ledger";
import { applyPaidCheckout } from "./confirm";

/**
 * Confirms a booking by asking Stripe whether its Checkout Session is paid, never by trusting the caller. The
 * success page calls it when it arrives before the webhook; it is idempotent (the same guarded transition the
 * webhook uses), so calling it any number of times, before or after the webhook, ends in the same state.
 */
export async function confirmFromStripe(bookingId: string, caller: SessionUser) {
  const booking = await db.booking.findUnique({ where: { id: bookingId }, include: { coach: { select: { userId: true } } } });
  const mine = booking && (booking.studentId === caller.id || booking.coach.userId === caller.id);
  if (!booking || !mine) throw new AppError("NOT_FOUND", "No such booking.");
  if (booking.status === "PENDING_PAYMENT" || booking.status === "AWAITING_FUNDS" || booking.status === "EXPIRED") {
    if (!booking.stripeCheckoutSessionId) throw new AppError("INVALID_STATE", "This booking has no payment to check.");
    let session: Stripe.Checkout.Session;
    try {
      session = await getStripe().checkout.sessions.retrieve(booking.stripeCheckoutSessionId);
    } catch (error) {
      throw toAppError(error, "check the payment");
    }
    if (isPaidSession(session)) {
      await db.$transaction((tx) => applyPaidCheckout(tx, paidCheckoutFrom(session, booking.id, { amountMinor: booking.priceMinor, currency: booking.currency })));
    }
  }
  return bookingStatusView(bookingId);
}

export async function bookingStatusView(bookingId: string) {
  const b = await db.booking.findUniqueOrThrow({ where: { id: bookingId }, include: { payments: { include: { refunds: true } } } });
  // The true state of the money, from the refund rows: pending, succeeded and failed are told apart.
  const refund = refundSummary(b.payments.flatMap((p) => p.refunds));
  return {
    id: b.id,
    status: b.status,
    startsAt: b.startsAt.toISOString(),
    endsAt: b.endsAt.toISOString(),
    holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
    priceMinor: b.priceMinor,
    currency: b.currency,
    calcomStatus: b.calcomStatus,
    cancelReason: b.cancelReason,
    calcomRefusal: b.calcomRefusal,
    refundedMinor: refund.refundedMinor,
    refund,
  };
}
