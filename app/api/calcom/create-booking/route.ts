import { NextResponse } from "next/server";
import { createBooking, createBookingSchema } from "@/lib/booking/create";
import { parseJson, routeWithAccountRead } from "@/lib/http/route";

/**
 * Student: hold a slot and get the Stripe Checkout URL to pay for it. The student's account is checked on
 * createBooking's first read (routeWithAccountRead: one statement less per hold), before anything is written.
 */
export const POST = routeWithAccountRead("STUDENT", async ({ req, caller }) => {
  const input = await parseJson(req, createBookingSchema);
  return NextResponse.json(await createBooking(caller, input), { status: 201 });
}, { rateLimit: "createBooking" });
