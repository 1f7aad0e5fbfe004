import { env } from "@/lib/env";
import type { Recipient } from "./events";

/** The only link to our data a mail carries: the recipient's own page of the booking. */
export function bookingUrl(bookingId: string, recipient: Recipient): string {
  const base = env().APP_URL.replace(/\/$/, "");
  return recipient === "student" ? `${base}/student/bookings/${encodeURIComponent(bookingId)}` : `${base}/coach/bookings/${encodeURIComponent(bookingId)}`;
}

export function coachPageUrl(slug: string): string {
  return `${env().APP_URL.replace(/\/$/, "")}/coaches/${encodeURIComponent(slug)}`;
}
