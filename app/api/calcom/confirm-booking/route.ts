import { z } from "zod";
import { confirmFromStripe } from "@/lib/booking/confirm-from-stripe";
import { parseJson, route } from "@/lib/http/route";

const bodySchema = z.object({ bookingId: z.string().trim().min(1, "bookingId is required.").max(64) });

/** The booking's student or coach: confirm after payment by asking Stripe (idempotent). */
export const POST = route(["STUDENT", "COACH"], async ({ req, user }) => {
  const { bookingId } = await parseJson(req, bodySchema);
  return { booking: await confirmFromStripe(bookingId, user) };
}, { rateLimit: "confirmBooking" });
