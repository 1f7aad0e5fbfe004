"use client";

import { addDays, differenceInCalendarDays } from "date-fns";
import { TZDate } from "@date-fns/tz";
import { useCallback, useEffect, useMemo, useState } from "react";
import { buttonClass } from "@/components/ui";
import { bookingPickerPath } from "@/lib/booking/picker-path";
import { dateKeyInZone, formatInZone, formatTimeInZone } from "@/lib/time/format";
import { ZoneBar } from "./zone-bar";

interface Props {
  coachId: string;
  offeringId: string;
  coachSlug: string;
  title: string;
  coachName: string;
  durationMinutes: number;
  priceLabel: string;
  /** Null for a visitor: they browse freely and sign in at "Continue to payment". */
  viewer: { role: string; timeZone: string } | null;
  /** From the URL after sign-in or "try again": these win over the defaults. */
  requestedZone: string | null;
  requestedStart: string | null;
  timeZones: string[];
  liveHolds: { id: string; start: string; end: string; checkoutUrl: string }[];
}

type Slot = { start: string; end: string };
type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; slots: Slot[]; source: string };

const WEEKS_AHEAD = 8;

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

/**
 * One week at a time, one day at a time (day buttons with their count of free times), so on a phone the review
 * and "Continue to payment" are never far below; the review sticks to the bottom of the screen on small widths.
 */
export function SlotPicker(props: Props) {
  const { coachId, offeringId, viewer } = props;
  // The zone is settled after hydration (the browser's zone is unknown on the server); nothing loads before.
  const [timeZone, setTimeZone] = useState<string | null>(props.requestedZone);
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  const [weekOffset, setWeekOffset] = useState(0);
  const [dayKey, setDayKey] = useState<string | null>(null);
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [selected, setSelected] = useState<Slot | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pendingStart, setPendingStart] = useState<string | null>(props.requestedStart);

  useEffect(() => {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    setBrowserZone(detected);
    // Default: the browser's zone (where the student is now); the zone bar offers the profile's when it differs.
    setTimeZone((current) => current ?? detected);
  }, []);

  useEffect(() => {
    if (timeZone && props.requestedStart) setWeekOffset(weekOf(props.requestedStart, timeZone));
    // Only once the zone is known; later week changes are the student's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [timeZone === null]);

  const days = useMemo(() => {
    if (!timeZone) return [];
    const first = startOfTodayIn(timeZone);
    return Array.from({ length: 7 }, (_, i) => new TZDate(addDays(new TZDate(first, timeZone), weekOffset * 7 + i), timeZone));
  }, [timeZone, weekOffset]);

  // Slot answers may be cached by the browser for a few seconds (Cache-Control: max-age=10); after a refused hold
  // or a manual retry, `fresh` revalidates with the server (a 304 when nothing changed) instead.
  const fetchSlots = useCallback(async (fresh = false) => {
    if (!timeZone || days.length === 0) return;
    setLoad({ state: "loading" });
    const params = new URLSearchParams({ coachId, offeringId, from: days[0].toISOString(), to: new Date(addDays(days[6], 1).getTime()).toISOString(), timeZone });
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
    if (load.state === "ready" && timeZone) for (const slot of load.slots) map.set(dateKeyInZone(slot.start, timeZone), [...(map.get(dateKeyInZone(slot.start, timeZone)) ?? []), slot]);
    return map;
  }, [load, timeZone]);

  // After loading: reselect the slot from the URL if it is still free, else open the first day with free times.
  useEffect(() => {
    if (load.state !== "ready" || !timeZone) return;
    const wanted = pendingStart ? load.slots.find((s) => new Date(s.start).getTime() === new Date(pendingStart).getTime()) : undefined;
    if (wanted) {
      setSelected(wanted);
      setDayKey(dateKeyInZone(wanted.start, timeZone));
      setPendingStart(null);
      return;
    }
    setDayKey((current) => (current && byDay.has(current) ? current : (days.map((d) => dateKeyInZone(d, timeZone)).find((k) => byDay.has(k)) ?? null)));
  }, [load, byDay, days, timeZone, pendingStart]);

  function changeZone(zone: string) {
    setTimeZone(zone);
    setSelected(null);
    setDayKey(null);
  }

  function signInPath(kind: "signin" | "signup"): string {
    const back = bookingPickerPath(props.coachSlug, offeringId, selected?.start, timeZone ?? undefined);
    return `/${kind}?callbackUrl=${encodeURIComponent(back)}`;
  }

  async function book() {
    if (!selected || !timeZone) return;
    if (!viewer) {
      window.location.assign(signInPath("signin"));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const response = await fetch("/api/calcom/create-booking", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ offeringId, start: selected.start, timeZone }),
      });
      const data = await response.json().catch(() => null);
      if (response.status === 401) {
        window.location.assign(signInPath("signin"));
        return;
      }
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

  const isCoach = viewer !== null && viewer.role !== "STUDENT";
  const daySlots = dayKey ? (byDay.get(dayKey) ?? []) : [];
  const shownDay = timeZone ? days.find((d) => dateKeyInZone(d, timeZone) === dayKey) : undefined;
  const weekLabel =
    timeZone && days.length
      ? `${formatInZone(days[0], timeZone, { weekday: undefined, hour: undefined, minute: undefined, year: undefined })} – ${formatInZone(days[6], timeZone, { weekday: undefined, hour: undefined, minute: undefined })}`
      : "";

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)] lg:gap-8">
      <div className="min-w-0 space-y-4">
        {timeZone ? (
          <ZoneBar timeZone={timeZone} browserZone={browserZone} profileZone={viewer?.role === "STUDENT" ? viewer.timeZone : null} timeZones={props.timeZones} onChange={changeZone} />
        ) : null}
        {props.liveHolds.length > 0 && timeZone ? (
          <div className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="live-holds">
            {props.liveHolds.map((hold) => (
              <p key={hold.id}>
                You are holding {formatInZone(hold.start, timeZone)} ({timeZone}).{" "}
                <a href={hold.checkoutUrl} className="font-medium underline" data-testid="picker-resume-payment">Continue to payment</a>
              </p>
            ))}
          </div>
        ) : null}
        <section aria-labelledby="week-heading" className="min-w-0">
          <div className="mb-3 flex items-center justify-between gap-2">
            <button type="button" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm disabled:opacity-40" onClick={() => setWeekOffset((w) => w - 1)} disabled={weekOffset === 0} aria-label="Previous week">
              ←<span className="hidden sm:inline"> Previous week</span>
            </button>
            <h2 id="week-heading" className="text-center text-sm font-medium text-slate-700" data-testid="week-label">{weekLabel}</h2>
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
              {load.message} <button type="button" onClick={() => void fetchSlots(true)} className="ml-2 font-medium underline">Retry</button>
            </div>
          ) : load.slots.length === 0 ? (
            <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700" data-testid="no-slots">
              No free times this week. <button type="button" className="font-medium text-brand-700 underline" onClick={() => setWeekOffset((w) => w + 1)}>Try the next week</button>.
            </div>
          ) : (
            <div className="rounded-xl border border-slate-200 bg-white p-3" data-testid="slot-days">
              <div role="group" aria-label="Choose a day" className="grid grid-cols-7 gap-1">
                {days.map((day) => {
                  const key = dateKeyInZone(day, timeZone);
                  const count = byDay.get(key)?.length ?? 0;
                  const weekday = formatInZone(day, timeZone, { weekday: "short", day: undefined, month: undefined, year: undefined, hour: undefined, minute: undefined });
                  const date = formatInZone(day, timeZone, { weekday: undefined, day: "numeric", month: undefined, year: undefined, hour: undefined, minute: undefined });
                  return (
                    <button
                      key={key}
                      type="button"
                      data-testid="day-tab"
                      data-day={key}
                      aria-pressed={dayKey === key}
                      disabled={count === 0}
                      onClick={() => setDayKey(key)}
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
                  <h3 id="day-heading" className="mb-2 text-sm font-medium text-slate-700">
                    {formatInZone(shownDay, timeZone, { hour: undefined, minute: undefined, year: undefined, weekday: "long", month: "long" })}
                  </h3>
                  <div role="group" aria-labelledby="day-heading" className="grid grid-cols-3 gap-2 sm:grid-cols-4 md:grid-cols-5">
                    {daySlots.map((slot) => (
                      <button
                        key={slot.start}
                        type="button"
                        data-testid="slot"
                        data-start={slot.start}
                        aria-pressed={selected?.start === slot.start}
                        aria-label={`${formatTimeInZone(slot.start, timeZone)}, ${formatInZone(slot.start, timeZone, { hour: undefined, minute: undefined, year: undefined, weekday: "long", month: "long" })}`}
                        onClick={() => setSelected(slot)}
                        className="rounded-md border border-slate-300 px-2 py-1.5 text-sm tabular-nums hover:border-brand-500 aria-pressed:border-brand-600 aria-pressed:bg-brand-600 aria-pressed:text-white"
                      >
                        {formatTimeInZone(slot.start, timeZone)}
                      </button>
                    ))}
                  </div>
                </div>
              ) : null}
            </div>
          )}
        </section>
      </div>
      <aside
        aria-labelledby="review-heading"
        className="sticky bottom-0 z-10 -mx-4 h-fit border-t border-slate-200 bg-white p-4 shadow-[0_-4px_12px_rgba(15,23,42,0.08)] sm:mx-0 sm:rounded-xl sm:border lg:top-6 lg:bottom-auto lg:p-6 lg:shadow-sm"
        data-testid="review-panel"
      >
        <h2 id="review-heading" className="font-semibold text-slate-900 max-lg:sr-only">Review</h2>
        <div aria-live="polite">
          {selected && timeZone ? (
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm lg:mt-3 lg:block lg:space-y-2" data-testid="review">
              <div className="hidden lg:block"><dt className="text-slate-600">Session</dt><dd>{props.title} with {props.coachName}</dd></div>
              <div><dt className="text-slate-600">When ({timeZone})</dt><dd data-testid="review-time">{formatInZone(selected.start, timeZone, { year: undefined })} – {formatTimeInZone(selected.end, timeZone)}</dd></div>
              <div className="hidden lg:block"><dt className="text-slate-600">Length</dt><dd>{props.durationMinutes} minutes</dd></div>
              <div><dt className="text-slate-600">You pay</dt><dd className="text-base font-semibold" data-testid="review-price">{props.priceLabel}</dd></div>
            </dl>
          ) : (
            <p className="text-sm text-slate-600 lg:mt-3">Pick a time to see what you will pay.</p>
          )}
        </div>
        {error ? <p role="alert" data-testid="booking-error" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p> : null}
        {isCoach ? (
          <p className="mt-3 text-sm text-slate-700" data-testid="coach-cannot-book">Coach accounts cannot book sessions. Sign in with a student account to book.</p>
        ) : (
          <>
            <button type="button" disabled={!selected || submitting} onClick={() => void book()} className={`${buttonClass} mt-3 w-full lg:mt-5`} data-testid="continue-to-payment">
              {submitting ? "Holding your slot…" : "Continue to payment"}
            </button>
            {viewer ? (
              <p className="mt-2 hidden text-xs text-slate-600 lg:block">The slot is held for you while you pay. Unpaid holds are released automatically.</p>
            ) : (
              <p className="mt-2 text-xs text-slate-600" data-testid="sign-in-hint">
                You will sign in first, or <a href={signInPath("signup")} className="font-medium text-brand-700 underline">create an account</a>, and come back to this time.
              </p>
            )}
          </>
        )}
      </aside>
    </div>
  );
}
