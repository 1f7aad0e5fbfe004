"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useBookingStatus } from "./booking-status";

interface Props {
  bookingId: string;
  checkout: "success" | "cancelled" | null;
  /** Whether the coach's Cal.com calendar has accepted the booking ("none": the coach does not use Cal.com). */
  calendar: "accepted" | "pending" | "none";
  checkoutUrl: string | null;
  holdExpiresLabel: string | null;
}

/**
 * After Stripe redirects back, the webhook may not have arrived yet: ask the server to check with Stripe
 * (POST /api/calcom/confirm-booking) a few times until the booking is confirmed.
 */
export function PaymentWatcher({ bookingId, checkout, calendar, checkoutUrl, holdExpiresLabel }: Props) {
  const router = useRouter();
  const { status, setStatus } = useBookingStatus();
  const [gaveUp, setGaveUp] = useState(false);

  useEffect(() => {
    if (checkout !== "success" || status !== "PENDING_PAYMENT") return;
    let cancelled = false;
    let attempts = 0;
    const poll = async () => {
      attempts++;
      try {
        const response = await fetch("/api/calcom/confirm-booking", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ bookingId }) });
        const data = await response.json();
        if (!cancelled && response.ok && data.booking.status !== "PENDING_PAYMENT") {
          setStatus(data.booking.status);
          router.refresh();
          return;
        }
      } catch {
        // try again
      }
      if (cancelled) return;
      if (attempts >= 20) setGaveUp(true);
      else setTimeout(poll, 1500);
    };
    void poll();
    return () => {
      cancelled = true;
    };
  }, [bookingId, checkout, status, router, setStatus]);

  if (status === "CONFIRMED") {
    const where =
      calendar === "accepted" ? " It is on your coach's calendar." : calendar === "pending" ? " We are adding it to your coach's calendar now." : "";
    return <p className="mt-6 rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800" data-testid="booking-confirmed" data-calendar={calendar}>Your session is booked and paid.{where}</p>;
  }
  if (status === "AWAITING_FUNDS") {
    return <p className="mt-6 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="awaiting-funds">Your bank payment is on its way. Your slot stays held until it arrives; we confirm the booking as soon as it does.</p>;
  }
  if (status !== "PENDING_PAYMENT") return null;
  if (checkout === "success") {
    return (
      <p className="mt-6 flex items-center gap-3 rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700" role="status" data-testid="confirming">
        {!gaveUp ? <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" /> : null}
        {gaveUp ? "We have not heard from the payment provider yet. This page will show the booking as soon as it is confirmed; refresh in a minute." : "Confirming your payment…"}
      </p>
    );
  }
  return (
    <div className="mt-6 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
      {checkout === "cancelled" ? "Payment was cancelled. " : ""}
      Your slot is held{holdExpiresLabel ? ` until ${holdExpiresLabel}` : ""}.{" "}
      {checkoutUrl ? <a href={checkoutUrl} className="font-medium underline" data-testid="resume-payment">Continue to payment</a> : null}
    </div>
  );
}
