"use client";

import { addDays } from "date-fns";
import { TZDate } from "@date-fns/tz";
import { useCallback, useEffect, useMemo, useState } from "react";
import { buttonClass } from "@/components/ui";
import { dateKeyInZone, formatInZone, formatTimeInZone } from "@/lib/time/format";

interface Props {
  coachId: string;
  offeringId: string;
  timeZone: string;
  title: string;
  coachName: string;
  durationMinutes: number;
  priceLabel: string;
}

type Slot = { start: string; end: string };
type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; slots: Slot[]; source: string };

/** Midnight of today in the student's zone, as an instant. */
function startOfTodayIn(timeZone: string): Date {
  const now = new TZDate(Date.now(), timeZone);
  return new TZDate(now.getFullYear(), now.getMonth(), now.getDate(), timeZone);
}

export function SlotPicker(props: Props) {
  const { coachId, offeringId, timeZone } = props;
  const [weekOffset, setWeekOffset] = useState(0);
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [selected, setSelected] = useState<Slot | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const days = useMemo(() => {
    const first = startOfTodayIn(timeZone);
    return Array.from({ length: 7 }, (_, i) => new TZDate(addDays(new TZDate(first, timeZone), weekOffset * 7 + i), timeZone));
  }, [timeZone, weekOffset]);

  // Slot answers may be cached by the browser for a few seconds (Cache-Control: max-age=10); after a refused hold
  // or a manual retry, `fresh` revalidates with the server (a 304 when nothing changed) instead.
  const fetchSlots = useCallback(async (fresh = false) => {
    setLoad({ state: "loading" });
    const from = days[0];
    const to = addDays(days[6], 1);
    const params = new URLSearchParams({ coachId, offeringId, from: from.toISOString(), to: new Date(to.getTime()).toISOString(), timeZone });
    try {
      const response = await fetch(`/api/calcom/available-slots?${params}`, fresh ? { cache: "no-cache" } : undefined);
      const data = await response.json();
      if (!response.ok) throw new Error(data?.error?.message ?? "Could not load free times.");
      setLoad({ state: "ready", slots: data.slots, source: data.source });
    } catch (e) {
      setLoad({ state: "error", message: e instanceof Error ? e.message : "Could not load free times." });
    }
  }, [coachId, offeringId, timeZone, days]);

  useEffect(() => {
    void fetchSlots();
  }, [fetchSlots]);

  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>();
    if (load.state === "ready") for (const slot of load.slots) map.set(dateKeyInZone(slot.start, timeZone), [...(map.get(dateKeyInZone(slot.start, timeZone)) ?? []), slot]);
    return map;
  }, [load, timeZone]);

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
          void fetchSlots(true);
        }
        return;
      }
      window.location.assign(data.checkoutUrl);
    } finally {
      setSubmitting(false);
    }
  }

  const weekLabel = `${formatInZone(days[0], timeZone, { weekday: undefined, hour: undefined, minute: undefined, year: undefined })} – ${formatInZone(days[6], timeZone, { weekday: undefined, hour: undefined, minute: undefined })}`;
  return (
    <div className="grid gap-8 lg:grid-cols-[2fr_1fr]">
      <section aria-labelledby="week-heading">
        <div className="mb-4 flex items-center justify-between gap-4">
          <button type="button" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm disabled:opacity-40" onClick={() => setWeekOffset((w) => w - 1)} disabled={weekOffset === 0}>
            ← Previous week
          </button>
          <h2 id="week-heading" className="text-sm font-medium text-slate-700" data-testid="week-label">{weekLabel}</h2>
          <button type="button" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm disabled:opacity-40" onClick={() => setWeekOffset((w) => w + 1)} disabled={weekOffset >= 8} data-testid="next-week">
            Next week →
          </button>
        </div>
        {load.state === "loading" ? (
          <div className="flex items-center gap-3 rounded-xl border border-slate-200 bg-white p-8 text-slate-500" role="status" data-testid="slots-loading">
            <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" /> Loading free times…
          </div>
        ) : load.state === "error" ? (
          <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-sm text-red-700">
            {load.message} <button type="button" onClick={() => void fetchSlots(true)} className="ml-2 font-medium underline">Retry</button>
          </div>
        ) : load.slots.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="no-slots">
            No free times this week. <button type="button" className="font-medium text-brand-600 hover:underline" onClick={() => setWeekOffset((w) => w + 1)}>Try the next week</button>.
          </div>
        ) : (
          <div className="grid gap-3 sm:grid-cols-2 md:grid-cols-3" data-testid="slot-days">
            {days.map((day) => {
              const key = dateKeyInZone(day, timeZone);
              const slots = byDay.get(key) ?? [];
              return (
                <div key={key} className="rounded-xl border border-slate-200 bg-white p-3">
                  <p className="mb-2 text-sm font-medium text-slate-700">{formatInZone(day, timeZone, { hour: undefined, minute: undefined, year: undefined })}</p>
                  {slots.length === 0 ? (
                    <p className="text-xs text-slate-400">No free times</p>
                  ) : (
                    <div className="flex flex-wrap gap-2">
                      {slots.map((slot) => (
                        <button
                          key={slot.start}
                          type="button"
                          data-testid="slot"
                          data-start={slot.start}
                          aria-pressed={selected?.start === slot.start}
                          onClick={() => setSelected(slot)}
                          className="rounded-md border border-slate-300 px-2.5 py-1 text-sm tabular-nums hover:border-brand-500 aria-pressed:border-brand-600 aria-pressed:bg-brand-600 aria-pressed:text-white"
                        >
                          {formatTimeInZone(slot.start, timeZone)}
                        </button>
                      ))}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </section>
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
