import { NextResponse, type NextRequest } from "next/server";
import { handleCalcomWebhook } from "@/lib/calcom-sync/webhook";
import { CALCOM_SIGNATURE_HEADER } from "@/lib/calcom";
import { readBodyText, WEBHOOK_BODY_LIMIT_BYTES } from "@/lib/http/body";
import { withRequest } from "@/lib/http/route";

export const runtime = "nodejs";

/** Cal.com calls this without a session: the HMAC signature on the raw body is the authentication. */
export async function POST(req: NextRequest) {
  return withRequest(req, async () => {
    const raw = await readBodyText(req, WEBHOOK_BODY_LIMIT_BYTES);
    return NextResponse.json({ received: true, ...(await handleCalcomWebhook(raw, req.headers.get(CALCOM_SIGNATURE_HEADER))) });
  });
}
