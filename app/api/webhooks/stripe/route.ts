import { NextResponse, type NextRequest } from "next/server";
import { readBodyText, WEBHOOK_BODY_LIMIT_BYTES } from "@/lib/http/body";
import { withRequest } from "@/lib/http/route";
import { handleStripeWebhook } from "@/lib/payments/webhook";

export const runtime = "nodejs";

/** Stripe calls this without a session: the signature on the raw body is the authentication. */
export async function POST(req: NextRequest) {
  return withRequest(req, async () => {
    const raw = await readBodyText(req, WEBHOOK_BODY_LIMIT_BYTES);
    const result = await handleStripeWebhook(raw, req.headers.get("stripe-signature"));
    return NextResponse.json({ received: true, ...result });
  });
}
