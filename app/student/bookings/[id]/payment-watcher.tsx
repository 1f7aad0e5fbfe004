"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import Link from "next/link";
import { useBookingStatus } from "./booking-status";
import { HoldCountdown } from "./hold-countdown";

interface Props {
  bookingId: string;
  checkout: "success" | "cancelled" | null;
  /** Whether the coach's Cal.com calendar has accepted the booking ("none": the coach does not use Cal.com). */
  calendar: "accepted" | "pending" | "none";
  checkoutUrl: string | null;
  hold: { expiresAt: string; label: string; timeZone: string } | null;
  /** Stripe's reason when the last card attempt failed (declined, expired card…). */
  declined: string | null;
  /** The slot picker on this slot again, for when this hold can no longer be paid. */
  tryAgainHref: string;
}

/**
 * After Stripe redirects back, the webhook may not have arrived yet: ask the server to check with Stripe
 * (POST /api/calcom/confirm-booking) a few times until the booking is confirmed.
 */
export function PaymentWatcher({ bookingId, checkout, calendar, checkoutUrl, hold, declined, tryAgainHref }: Props) {
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
  if (status === "PAYMENT_FAILED") {
    return (
      <p className="mt-6 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800" role="alert" data-testid="payment-failed">
        The payment failed, so the slot was released. <Link href={tryAgainHref} className="font-medium underline" data-testid="try-again">Try again</Link>
      </p>
    );
  }
  if (status === "EXPIRED") {
    return (
      <p className="mt-6 rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-800" data-testid="hold-expired">
        The hold ended before the payment. <Link href={tryAgainHref} className="font-medium underline">Pick this time again</Link> if it is still free.
      </p>
    );
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
    <div className="mt-6 space-y-2 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="payment-pending">
      {declined ? (
        <p role="alert" data-testid="payment-declined">
          The payment did not go through. {declined} Nothing was charged.
        </p>
      ) : checkout === "cancelled" ? (
        <p data-testid="payment-cancelled">Payment was cancelled. Nothing was charged.</p>
      ) : null}
      <p>
        {hold ? <HoldCountdown {...hold} /> : "Your slot is held."}{" "}
        {checkoutUrl ? (
          <a href={checkoutUrl} className="ml-1 inline-block rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700" data-testid="resume-payment">
            {declined ? "Try again with another card" : "Continue to payment"}
          </a>
        ) : null}
      </p>
    </div>
  );
}
