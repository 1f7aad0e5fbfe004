"use client";

import { useState } from "react";
import { WeekSlots, type Slot } from "@/components/booking/week-slots";
import { buttonClass } from "@/components/ui";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";

interface Props {
  coachId: string;
  offeringId: string;
  timeZone: string;
  title: string;
  coachName: string;
  durationMinutes: number;
  priceLabel: string;
}

export function SlotPicker(props: Props) {
  const { coachId, offeringId, timeZone } = props;
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<Slot | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function book() {
    if (!selected) return;
    setSubmitting(true);
    setError(null);
    try {
      const response = await fetch("/api/calcom/create-booking", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ offeringId, start: selected.start, timeZone }),
      });
      const data = await response.json().catch(() => null);
      if (!response.ok) {
        setError(data?.error?.message ?? "Could not hold this slot. Please try again.");
        if (data?.error?.code === "SLOT_TAKEN") {
          setSelected(null);
          setReloadKey((k) => k + 1);
        }
        return;
      }
      window.location.assign(data.checkoutUrl);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div className="grid gap-8 lg:grid-cols-[2fr_1fr]">
      <WeekSlots coachId={coachId} offeringId={offeringId} timeZone={timeZone} selected={selected} onSelect={setSelected} reloadKey={reloadKey} />
      <aside className="h-fit rounded-xl border border-slate-200 bg-white p-6 shadow-sm" aria-live="polite">
        <h2 className="font-semibold text-slate-900">Review</h2>
        {selected ? (
          <dl className="mt-3 space-y-2 text-sm" data-testid="review">
            <div><dt className="text-slate-500">Session</dt><dd>{props.title} with {props.coachName}</dd></div>
            <div><dt className="text-slate-500">When ({timeZone})</dt><dd data-testid="review-time">{formatInZone(selected.start, timeZone)} – {formatTimeInZone(selected.end, timeZone)}</dd></div>
            <div><dt className="text-slate-500">Length</dt><dd>{props.durationMinutes} minutes</dd></div>
            <div><dt className="text-slate-500">You pay</dt><dd className="text-base font-semibold" data-testid="review-price">{props.priceLabel}</dd></div>
          </dl>
        ) : (
          <p className="mt-3 text-sm text-slate-500">Pick a time to see what you will pay.</p>
        )}
        {error ? <p role="alert" data-testid="booking-error" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p> : null}
        <button type="button" disabled={!selected || submitting} onClick={() => void book()} className={`${buttonClass} mt-5 w-full`} data-testid="continue-to-payment">
          {submitting ? "Holding your slot…" : "Continue to payment"}
        </button>
        <p className="mt-3 text-xs text-slate-500">The slot is held for you while you pay. Unpaid holds are released automatically.</p>
      </aside>
    </div>
  );
}
