import { NextResponse } from "next/server";
import { createBooking, createBookingSchema } from "@/lib/booking/create";
import { parseJson, route } from "@/lib/http/route";

/** Student: hold a slot and get the Stripe Checkout URL to pay for it. */
export const POST = route("STUDENT", async ({ req, user }) => {
  const input = await parseJson(req, createBookingSchema);
  return NextResponse.json(await createBooking(user, input), { status: 201 });
}, { rateLimit: "createBooking" });
