import Stripe from "stripe";
import type { PaidCheckout } from "@/lib/booking/confirm";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

let cached: { key: string; base?: string; client: Stripe } | undefined;

/**
 * The real `stripe` SDK. STRIPE_API_BASE points it at another host (the local emulator in dev and tests) via
 * the SDK's own host/port/protocol options; unset, it talks to api.stripe.com.
 */
export function getStripe(): Stripe {
  const e = env();
  if (!e.STRIPE_SECRET_KEY) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Payments are not configured (STRIPE_SECRET_KEY is missing).");
  if (cached && cached.key === e.STRIPE_SECRET_KEY && cached.base === e.STRIPE_API_BASE) return cached.client;
  // The API version is pinned to the one the SDK's types (and our webhook handlers) are written against, so
  // payload shapes cannot change under the app when the account's default version moves.
  const config: Stripe.StripeConfig = { apiVersion: STRIPE_API_VERSION, maxNetworkRetries: 2, timeout: 20_000, telemetry: false, appInfo: { name: "Coachbook" } };
  if (e.STRIPE_API_BASE) {
    const base = new URL(e.STRIPE_API_BASE);
    config.host = base.hostname;
    config.port = Number(base.port || (base.protocol === "https:" ? 443 : 80));
    config.protocol = base.protocol === "https:" ? "https" : "http";
  }
  cached = { key: e.STRIPE_SECRET_KEY, base: e.STRIPE_API_BASE, client: new Stripe(e.STRIPE_SECRET_KEY, config) };
  return cached.client;
}

/**
 * Starts an SDK call without the call-site stack the SDK captures for every request (stripe 23.1,
 * esm/StripeResource.js `_makeRequest`: `const callSiteStack = new Error().stack`, read synchronously before the
 * request's promise), which it only appends to a failed request's error (utils.js `attachCallSiteToError`; the
 * error keeps its own stack). Under Next that stack is formatted by Next's patched Error.prepareStackTrace: about
 * 30 us per call, 1% of create-booking's CPU (bench/profile.ts). We never show or log it (toAppError logs Stripe's
 * type, code and request id). Nothing else runs inside the window, so the limit is back before other code runs.
 */
export function withoutCallSiteStack<T>(start: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function stripeConfigured(): boolean {
  return Boolean(env().STRIPE_SECRET_KEY);
}

/**
 * Maps SDK failures to our error codes. Stripe's own text (which can name a key or an account) is logged, never
 * shown: users get a generic message for the action.
 */
export function toAppError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Stripe.errors.StripeError) {
    log.warn("Stripe call failed", { action, type: error.type, code: error.code, statusCode: error.statusCode, stripeRequestId: error.requestId, detail: error.message });
  } else {
    log.warn("Stripe call failed", { action, error });
  }
  if (error instanceof Stripe.errors.StripeCardError) return new AppError("UNPROCESSABLE", `The card was declined, so we could not ${action}. Please try another card.`);
  if (error instanceof Stripe.errors.StripeRateLimitError) return new AppError("UPSTREAM_UNAVAILABLE", `Stripe is busy; we could not ${action}. Please try again.`);
  if (error instanceof Stripe.errors.StripeConnectionError) return new AppError("UPSTREAM_UNAVAILABLE", `Could not reach Stripe; we could not ${action}. Please try again.`);
  return new AppError("UPSTREAM_ERROR", `The payment service could not ${action} right now. Please try again later.`);
}

/** An expandable Stripe field's id, whether it came back as an id or as the expanded object. */
export function stripeId(value: string | { id: string } | null | undefined): string | null {
  return typeof value === "string" ? value : (value?.id ?? null);
}

export function isPaidSession(session: Stripe.Checkout.Session): boolean {
  return session.payment_status === "paid" || session.payment_status === "no_payment_required";
}

/** What a paid Checkout Session says about its booking; `fallback` fills amounts a session left out. */
export function paidCheckoutFrom(session: Stripe.Checkout.Session, bookingId: string, fallback: { amountMinor: number; currency: string }): PaidCheckout {
  return {
    bookingId,
    sessionId: session.id,
    paymentIntentId: stripeId(session.payment_intent),
    amountMinor: session.amount_total ?? fallback.amountMinor,
    currency: session.currency ?? fallback.currency,
  };
}
