import { NextResponse, type NextRequest } from "next/server";
import { withRequest } from "@/lib/http/route";
import { handleStripeWebhook } from "@/lib/payments/webhook";

export const runtime = "nodejs";

/** Stripe calls this without a session: the signature on the raw body is the authentication. */
export async function POST(req: NextRequest) {
  return withRequest(req, async () => {
    const raw = await req.text();
    const result = await handleStripeWebhook(raw, req.headers.get("stripe-signature"));
    return NextResponse.json({ received: true, ...result });
  });
}
