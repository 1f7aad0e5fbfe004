import { addMinutes, getUnixTime, max } from "date-fns";
import type Stripe from "stripe";
import type { Booking } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";
import { getStripe, toAppError, withoutCallSiteStack } from "./stripe";

/** What a Checkout Session is made from: a written hold, or one planned and about to be written (lib/booking/hold.ts). */
export type CheckoutHold = Pick<Booking, "id" | "coachId" | "startsAt" | "endsAt" | "studentTimeZone" | "title" | "priceMinor" | "currency"> & { holdExpiresAt: Date | null };

/** What the student sees on Checkout: who, and when in the zone they booked in, not only "Intro call". */
async function productFor(booking: CheckoutHold, knownCoachName?: string): Promise<{ name: string; description: string }> {
  const coachName = knownCoachName ?? (await db.coachProfile.findUnique({ where: { id: booking.coachId }, select: { user: { select: { name: true } } } }))?.user.name;
  const zone = booking.studentTimeZone;
  const when = `${formatInZone(booking.startsAt, zone)}–${formatTimeInZone(booking.endsAt, zone)} (${zone})`;
  const what = coachName ? `${booking.title} with ${coachName}` : booking.title;
  // The name is the line Checkout shows most prominently, so it carries the time too; the description repeats it.
  return { name: `${what}, ${when}`, description: when };
}

// Stripe accepts expires_at 30 min to 24 h after creation; a minute of margin keeps clock skew from tripping it.
const MIN_CHECKOUT_MINUTES = 31;

/**
 * Creates the Checkout Session for a held booking. The amount comes from the booking's server-side price
 * snapshot, never from the client. The idempotency key is the booking id, so a retried request gets the same
 * session back instead of a second one. When the hold ends before the session would, the sweep expires the
 * session early (sweepExpiredHolds in lib/booking/release.ts).
 */
export async function createCheckoutSession(booking: CheckoutHold, student: { email: string }, appUrl: string, coachName?: string): Promise<Stripe.Checkout.Session> {
  const expiresAt = max([booking.holdExpiresAt ?? new Date(), addMinutes(new Date(), MIN_CHECKOUT_MINUTES)]);
  try {
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: "payment",
      client_reference_id: booking.id,
      customer_email: student.email,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: booking.currency,
            unit_amount: booking.priceMinor,
            product_data: await productFor(booking, coachName),
          },
        },
      ],
      // Delayed payment methods (bank debits) settle days later; they are offered only when the session is far
      // enough away for the money to arrive before the funds deadline. Closer sessions take cards (and wallets).
      ...(delayedMethodsAllowed(booking.startsAt, new Date()) ? {} : { payment_method_types: ["card" as const] }),
      metadata: { bookingId: booking.id },
      payment_intent_data: { metadata: { bookingId: booking.id } },
      expires_at: getUnixTime(expiresAt),
      success_url: `${appUrl}/student/bookings/${booking.id}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${appUrl}/student/bookings/${booking.id}?checkout=cancelled`,
    };
    const stripe = getStripe();
    return await withoutCallSiteStack(() => stripe.checkout.sessions.create(params, { idempotencyKey: `checkout:${booking.id}` }));
  } catch (error) {
    throw toAppError(error, "start the payment");
  }
}

/**
 * Expires a Checkout Session that no hold was written for (create-booking lost the slot, or could not write the
 * hold). Its URL never left the server, so nobody can pay it, and Stripe would expire it by itself at its
 * expires_at (a checkout.session.expired webhook that names no live hold changes nothing): this is tidiness, so it
 * is a direct call whose failure is only logged, not a queued job that needs the database that may just have
 * failed.
 */
export async function expireUnusedCheckout(sessionId: string): Promise<void> {
  try {
    await withoutCallSiteStack(() => getStripe().checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire:${sessionId}` }));
  } catch (error) {
    log.warn("could not expire an unused Checkout Session (it expires by itself)", { sessionId, error });
  }
}

/** Days a session must be away for Checkout to offer delayed payment methods (SEPA Direct Debit can take 14 days). */
export const DELAYED_METHODS_MIN_LEAD_DAYS = 16;

export function delayedMethodsAllowed(startsAt: Date, now: Date): boolean {
  return startsAt.getTime() - now.getTime() >= DELAYED_METHODS_MIN_LEAD_DAYS * 86_400_000;
}
