import type Stripe from "stripe";
import { log } from "@/lib/log";
import { getStripe, stripeConfigured } from "@/lib/payments/stripe";

/**
 * Why the last card attempt on a Checkout Session failed, if it did (a declined card keeps the session open on
 * Stripe's page; "back" then lands on cancel_url). Read-only and best effort: the page falls back to "cancelled".
 */
export async function lastPaymentError(checkoutSessionId: string | null): Promise<string | null> {
  if (!checkoutSessionId || !stripeConfigured()) return null;
  try {
    const session = await getStripe().checkout.sessions.retrieve(checkoutSessionId, { expand: ["payment_intent"] });
    const intent = session.payment_intent as Stripe.PaymentIntent | string | null;
    if (!intent || typeof intent === "string") return null;
    return intent.last_payment_error?.message ?? (intent.last_payment_error ? "Your card was declined." : null);
  } catch (error) {
    log.warn("could not read the last payment attempt", { checkoutSessionId, error });
    return null;
  }
}
