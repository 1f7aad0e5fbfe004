"use client";

import { addDays, differenceInCalendarDays } from "date-fns";
import { TZDate } from "@date-fns/tz";
import { useEffect, useEffectEvent, useId, useMemo, useRef, useState } from "react";
import { dateKeyInZone, formatInZone, formatTimeInZone } from "@/lib/time/format";

export type Slot = { start: string; end: string };
type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; slots: Slot[] };

/** How far ahead the weeks go (the week starting today is 0). */
const WEEKS_AHEAD = 8;
const DAY_ONLY = { hour: undefined, minute: undefined, year: undefined } as const;

/** Midnight of today in the zone, as an instant. */
function startOfTodayIn(timeZone: string): Date {
  const now = new TZDate(Date.now(), timeZone);
  return new TZDate(now.getFullYear(), now.getMonth(), now.getDate(), timeZone);
}

/** Which week (0 = the one starting today) holds this instant, in the zone. */
function weekOf(instant: string, timeZone: string): number {
  const days = differenceInCalendarDays(new TZDate(new Date(instant), timeZone), new TZDate(startOfTodayIn(timeZone), timeZone));
  return Math.min(WEEKS_AHEAD, Math.max(0, Math.floor(days / 7)));
}

async function fetchSlots(params: URLSearchParams, fresh: boolean): Promise<Load> {
  try {
    // Answers may sit in the browser cache briefly (Cache-Control: max-age=10); `fresh` revalidates with the server
    // (a 304 when nothing changed).
    const response = await fetch(`/api/calcom/available-slots?${params}`, fresh ? { cache: "no-cache" } : undefined);
    const data = await response.json();
    if (!response.ok) throw new Error(data?.error?.message ?? "Could not load free times.");
    return { state: "ready", slots: data.slots };
  } catch (e) {
    return { state: "error", message: e instanceof Error ? e.message : "Could not load free times." };
  }
}

interface Props {
  coachId: string;
  offeringId: string;
  /** Null until the zone is known (the picker settles it after hydration): shown as loading, nothing is fetched. */
  timeZone: string | null;
  selected: Slot | null;
  onSelect: (slot: Slot) => void;
  /**
   * "days": one day at a time behind day buttons that count its free times, so on a phone what follows the grid is
   * never far below (the public picker); "week": every day of the week at once (the reschedule dialog).
   */
  layout: "days" | "week";
  /** Change it to load the week again, revalidated with the server (e.g. after the chosen slot was taken). */
  reloadKey?: number;
  /** A slot to leave out (the booking's own current time when moving it). */
  excludeStart?: string;
  /** Open on this slot's week, and choose it once it is loaded if it is still free (from the URL after sign-in). */
  initialStart?: string | null;
}

/** The week of free slots (GET /api/calcom/available-slots), one implementation for booking and rescheduling. */
export function WeekSlots({ coachId, offeringId, timeZone, selected, onSelect, layout, reloadKey = 0, excludeStart, initialStart = null }: Props) {
  const ids = useId();
  const [weekOffset, setWeekOffset] = useState(0);
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [retries, setRetries] = useState(0);
  const [pendingStart, setPendingStart] = useState<string | null>(initialStart);
  // The open day belongs to the zone it was opened in: a new zone opens the first day with free times again.
  const [openDay, setOpenDay] = useState<{ zone: string; key: string } | null>(null);
  const chooseLoaded = useEffectEvent((slot: Slot) => onSelect(slot));

  useEffect(() => {
    if (timeZone && initialStart) setWeekOffset(weekOf(initialStart, timeZone));
    // Only once the zone is known; later week changes are the person's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [timeZone === null]);

  const days = useMemo(() => {
    if (!timeZone) return [];
    const first = startOfTodayIn(timeZone);
    return Array.from({ length: 7 }, (_, i) => new TZDate(addDays(new TZDate(first, timeZone), weekOffset * 7 + i), timeZone));
  }, [timeZone, weekOffset]);

  // Each week is asked fresh from the server the first time this view shows it (a slot list from an earlier visit
  // may still sit in the browser cache for max-age=10 s, and the student may just have taken one of its slots);
  // going back to a week already seen may use the browser's cache; a retry or a new reloadKey revalidates again.
  const fetched = useRef({ reloadKey, retries, weeks: new Set<string>() });
  useEffect(() => {
    if (!timeZone || days.length === 0) return;
    const params = new URLSearchParams({ coachId, offeringId, from: days[0].toISOString(), to: new Date(addDays(days[6], 1).getTime()).toISOString(), timeZone });
    const again = fetched.current.reloadKey !== reloadKey || fetched.current.retries !== retries;
    if (again) fetched.current = { reloadKey, retries, weeks: new Set() };
    const fresh = !fetched.current.weeks.has(params.toString());
    fetched.current.weeks.add(params.toString());
    let stale = false;
    setLoad({ state: "loading" });
    void fetchSlots(params, fresh).then((next) => {
      // Only the answer for what is on screen now (a quick click through the weeks leaves earlier ones behind).
      if (!stale) setLoad(next);
    });
    return () => {
      stale = true;
    };
  }, [coachId, offeringId, timeZone, days, reloadKey, retries]);

  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>();
    if (load.state === "ready" && timeZone)
      for (const slot of load.slots) if (slot.start !== excludeStart) map.set(dateKeyInZone(slot.start, timeZone), [...(map.get(dateKeyInZone(slot.start, timeZone)) ?? []), slot]);
    return map;
  }, [load, timeZone, excludeStart]);

  // After loading: choose the wanted slot if it is still free, else keep the open day or open the first with free times.
  useEffect(() => {
    if (load.state !== "ready" || !timeZone) return;
    const wanted = pendingStart ? load.slots.find((s) => new Date(s.start).getTime() === new Date(pendingStart).getTime()) : undefined;
    if (wanted) {
      chooseLoaded(wanted);
      setOpenDay({ zone: timeZone, key: dateKeyInZone(wanted.start, timeZone) });
      setPendingStart(null);
      return;
    }
    setOpenDay((current) => {
      if (current?.zone === timeZone && byDay.has(current.key)) return current;
      const first = days.map((d) => dateKeyInZone(d, timeZone)).find((k) => byDay.has(k));
      return first ? { zone: timeZone, key: first } : null;
    });
  }, [load, byDay, days, timeZone, pendingStart]);

  const weekLabel = timeZone && days.length ? `${formatInZone(days[0], timeZone, { ...DAY_ONLY, weekday: undefined })} – ${formatInZone(days[6], timeZone, { weekday: undefined, hour: undefined, minute: undefined })}` : "";
  const dayKey = openDay?.zone === timeZone ? openDay.key : null;
  const slotButtons = (slots: Slot[], zone: string) =>
    slots.map((slot) => <SlotButton key={slot.start} slot={slot} timeZone={zone} pressed={selected?.start === slot.start} onSelect={onSelect} />);

  return (
    <section aria-labelledby={`${ids}-week`} className="min-w-0">
      <div className="mb-3 flex items-center justify-between gap-2">
        <button type="button" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm disabled:opacity-40" onClick={() => setWeekOffset((w) => w - 1)} disabled={weekOffset === 0} aria-label="Previous week">
          ←<span className="hidden sm:inline"> Previous week</span>
        </button>
        <h2 id={`${ids}-week`} className="text-center text-sm font-medium text-slate-700" data-testid="week-label">{weekLabel}</h2>
        <button type="button" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm disabled:opacity-40" onClick={() => setWeekOffset((w) => w + 1)} disabled={weekOffset >= WEEKS_AHEAD} data-testid="next-week" aria-label="Next week">
          <span className="hidden sm:inline">Next week </span>→
        </button>
      </div>
      {load.state === "loading" || !timeZone ? (
        <div className="flex items-center gap-3 rounded-xl border border-slate-200 bg-white p-8 text-slate-600" role="status" data-testid="slots-loading">
          <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" /> Loading free times…
        </div>
      ) : load.state === "error" ? (
        <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-sm text-red-700">
          {load.message} <button type="button" onClick={() => setRetries((n) => n + 1)} className="ml-2 font-medium underline">Retry</button>
        </div>
      ) : load.slots.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700" data-testid="no-slots">
          No free times this week. <button type="button" className="font-medium text-brand-700 underline" onClick={() => setWeekOffset((w) => w + 1)}>Try the next week</button>.
        </div>
      ) : layout === "days" ? (
        <DayTabs days={days} timeZone={timeZone} byDay={byDay} dayKey={dayKey} onOpen={(key) => setOpenDay({ zone: timeZone, key })} headingId={`${ids}-day`} slotButtons={slotButtons} />
      ) : (
        <div className="grid gap-3 sm:grid-cols-2 md:grid-cols-3" data-testid="slot-days">
          {days.map((day) => {
            const key = dateKeyInZone(day, timeZone);
            const slots = byDay.get(key) ?? [];
            return (
              <div key={key} className="rounded-xl border border-slate-200 bg-white p-3">
                <p className="mb-2 text-sm font-medium text-slate-700">{formatInZone(day, timeZone, DAY_ONLY)}</p>
                {slots.length === 0 ? <p className="text-xs text-slate-600">No free times</p> : <div className="flex flex-wrap gap-2">{slotButtons(slots, timeZone)}</div>}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}

function SlotButton({ slot, timeZone, pressed, onSelect }: { slot: Slot; timeZone: string; pressed: boolean; onSelect: (slot: Slot) => void }) {
  return (
    <button
      type="button"
      data-testid="slot"
      data-start={slot.start}
      aria-pressed={pressed}
      // The day too: a screen reader hears the button alone, not the heading of the day it sits under.
      aria-label={`${formatTimeInZone(slot.start, timeZone)}, ${formatInZone(slot.start, timeZone, { ...DAY_ONLY, weekday: "long", month: "long" })}`}
      onClick={() => onSelect(slot)}
      className="rounded-md border border-slate-300 px-2 py-1.5 text-sm tabular-nums hover:border-brand-500 aria-pressed:border-brand-600 aria-pressed:bg-brand-600 aria-pressed:text-white"
    >
      {formatTimeInZone(slot.start, timeZone)}
    </button>
  );
}

interface DayTabsProps {
  days: Date[];
  timeZone: string;
  byDay: Map<string, Slot[]>;
  dayKey: string | null;
  onOpen: (key: string) => void;
  headingId: string;
  slotButtons: (slots: Slot[], timeZone: string) => React.ReactNode;
}

/** The "days" layout: seven day buttons with their count of free times, then the open day's slots. */
function DayTabs({ days, timeZone, byDay, dayKey, onOpen, headingId, slotButtons }: DayTabsProps) {
  const shownDay = days.find((d) => dateKeyInZone(d, timeZone) === dayKey);
  const daySlots = dayKey ? (byDay.get(dayKey) ?? []) : [];
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-3" data-testid="slot-days">
      <div role="group" aria-label="Choose a day" className="grid grid-cols-7 gap-1">
        {days.map((day) => {
          const key = dateKeyInZone(day, timeZone);
          const count = byDay.get(key)?.length ?? 0;
          const weekday = formatInZone(day, timeZone, { ...DAY_ONLY, weekday: "short", day: undefined, month: undefined });
          const date = formatInZone(day, timeZone, { ...DAY_ONLY, weekday: undefined, day: "numeric", month: undefined });
          return (
            <button
              key={key}
              type="button"
              data-testid="day-tab"
              data-day={key}
              aria-pressed={dayKey === key}
              disabled={count === 0}
              onClick={() => onOpen(key)}
              className="flex min-w-0 flex-col items-center rounded-md border border-slate-200 px-0.5 py-1.5 text-xs text-slate-800 hover:border-brand-500 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-600 aria-pressed:border-brand-600 aria-pressed:bg-brand-600 aria-pressed:text-white"
            >
              <span className="font-medium">{weekday}</span>
              <span className="text-sm tabular-nums">{date}</span>
              <span>{count === 0 ? "–" : `${count} free`}</span>
            </button>
          );
        })}
      </div>
      {shownDay && daySlots.length > 0 ? (
        <div className="mt-4">
          <h3 id={headingId} className="mb-2 text-sm font-medium text-slate-700">
            {formatInZone(shownDay, timeZone, { ...DAY_ONLY, weekday: "long", month: "long" })}
          </h3>
          <div role="group" aria-labelledby={headingId} className="grid grid-cols-3 gap-2 sm:grid-cols-4 md:grid-cols-5">
            {slotButtons(daySlots, timeZone)}
          </div>
        </div>
      ) : null}
    </div>
  );
}
