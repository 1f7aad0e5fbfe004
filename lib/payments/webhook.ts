import type Stripe from "stripe";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { applyWebhookOnce } from "@/lib/webhooks/apply-once";
import { getStripe } from "./stripe";
import { STRIPE_EVENT_HANDLERS } from "./webhook-handlers";

export type StripeWebhookResult = { outcome: "applied" | "duplicate" | "ignored"; type: string; id: string };

/**
 * Verify on the raw body, allow-list, then apply once: the event id is recorded in the same transaction as its
 * effect. Anything that throws after verification becomes a non-2xx answer so Stripe delivers it again.
 */
export async function handleStripeWebhook(rawBody: string, signature: string | null): Promise<StripeWebhookResult> {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  // Not configured: a clear 409 to whoever calls (anyone can), never a 500.
  if (!secret) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Stripe webhooks are not configured on this server.");
  if (!signature) throw new AppError("INVALID_SIGNATURE", "Missing Stripe-Signature header.");
  let event: Stripe.Event;
  try {
    event = getStripe().webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    throw new AppError("INVALID_SIGNATURE", "The Stripe-Signature header does not match this body (or is too old).");
  }
  // Signed but malformed (no data object): a clear 400, never a crash in a handler.
  const object: unknown = (event as { data?: { object?: unknown } | null } | null)?.data?.object;
  if (!object || typeof object !== "object" || typeof event.type !== "string" || typeof event.id !== "string") {
    throw new AppError("BAD_REQUEST", "The Stripe event has no data object.");
  }
  const handler = STRIPE_EVENT_HANDLERS[event.type];
  if (!handler) return { outcome: "ignored", type: event.type, id: event.id };
  const outcome = await applyWebhookOnce(
    { provider: "STRIPE", id: event.id, type: event.type, payload: { object: (event.data.object as { id?: string }).id ?? null, created: event.created } },
    (tx) => handler(tx, event),
  );
  return { outcome, type: event.type, id: event.id };
}
