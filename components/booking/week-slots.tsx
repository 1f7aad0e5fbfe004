"use client";

import { addDays } from "date-fns";
import { TZDate } from "@date-fns/tz";
import { useCallback, useEffect, useMemo, useState } from "react";
import { dateKeyInZone, formatInZone, formatTimeInZone } from "@/lib/time/format";

export type Slot = { start: string; end: string };
type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; slots: Slot[]; source: string };

/** Midnight of today in the viewer's zone, as an instant. */
function startOfTodayIn(timeZone: string): Date {
  const now = new TZDate(Date.now(), timeZone);
  return new TZDate(now.getFullYear(), now.getMonth(), now.getDate(), timeZone);
}

interface Props {
  coachId: string;
  offeringId: string;
  timeZone: string;
  selected: Slot | null;
  onSelect: (slot: Slot | null) => void;
  /** Change it to load the week again (e.g. after the chosen slot was taken). */
  reloadKey?: number;
  /** A slot to leave out (the booking's own current time when moving it). */
  excludeStart?: string;
}

/** The week of free slots (GET /api/calcom/available-slots), shared by booking and rescheduling. */
export function WeekSlots({ coachId, offeringId, timeZone, selected, onSelect, reloadKey = 0, excludeStart }: Props) {
  const setSelected = onSelect;
  const [weekOffset, setWeekOffset] = useState(0);
  const [load, setLoad] = useState<Load>({ state: "loading" });

  const days = useMemo(() => {
    const first = startOfTodayIn(timeZone);
    return Array.from({ length: 7 }, (_, i) => new TZDate(addDays(new TZDate(first, timeZone), weekOffset * 7 + i), timeZone));
  }, [timeZone, weekOffset]);

  const fetchSlots = useCallback(async () => {
    setLoad({ state: "loading" });
    const from = days[0];
    const to = addDays(days[6], 1);
    const params = new URLSearchParams({ coachId, offeringId, from: from.toISOString(), to: new Date(to.getTime()).toISOString(), timeZone });
    try {
      // After a refusal (reloadKey > 0) revalidate with the server: answers may sit in the browser cache briefly.
      const response = await fetch(`/api/calcom/available-slots?${params}`, reloadKey > 0 ? { cache: "no-cache" } : undefined);
      const data = await response.json();
      if (!response.ok) throw new Error(data?.error?.message ?? "Could not load free times.");
      setLoad({ state: "ready", slots: data.slots, source: data.source });
    } catch (e) {
      setLoad({ state: "error", message: e instanceof Error ? e.message : "Could not load free times." });
    }
  }, [coachId, offeringId, timeZone, days, reloadKey]);

  useEffect(() => {
    void fetchSlots();
  }, [fetchSlots]);

  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>();
    if (load.state === "ready") for (const slot of load.slots) if (slot.start !== excludeStart) map.set(dateKeyInZone(slot.start, timeZone), [...(map.get(dateKeyInZone(slot.start, timeZone)) ?? []), slot]);
    return map;
  }, [load, timeZone, excludeStart]);

  const weekLabel = `${formatInZone(days[0], timeZone, { weekday: undefined, hour: undefined, minute: undefined, year: undefined })} – ${formatInZone(days[6], timeZone, { weekday: undefined, hour: undefined, minute: undefined })}`;
  return (
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
            {load.message} <button type="button" onClick={() => void fetchSlots()} className="ml-2 font-medium underline">Retry</button>
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
  );
}
