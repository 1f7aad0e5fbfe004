"use client";

import { useEffect, useState } from "react";
import { WeekSlots, type Slot } from "@/components/booking/week-slots";
import { buttonClass } from "@/components/ui";
import { bookingPickerPath } from "@/lib/booking/picker-path";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";
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

/**
 * One week at a time, one day at a time (the "days" layout of WeekSlots), so on a phone the review and "Continue to
 * payment" are never far below; the review sticks to the bottom of the screen on small widths.
 */
export function SlotPicker(props: Props) {
  const { coachId, offeringId, viewer } = props;
  // The zone is settled after hydration (the browser's zone is unknown on the server); nothing loads before.
  const [timeZone, setTimeZone] = useState<string | null>(props.requestedZone);
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  const [selected, setSelected] = useState<Slot | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    setBrowserZone(detected);
    // Default: the browser's zone (where the student is now); the zone bar offers the profile's when it differs.
    setTimeZone((current) => current ?? detected);
  }, []);

  function changeZone(zone: string) {
    setTimeZone(zone);
    setSelected(null);
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
          setReloadKey((k) => k + 1);
        }
        return;
      }
      window.location.assign(data.checkoutUrl);
    } finally {
      setSubmitting(false);
    }
  }

  const isCoach = viewer !== null && viewer.role !== "STUDENT";

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
        <WeekSlots
          layout="days"
          coachId={coachId}
          offeringId={offeringId}
          timeZone={timeZone}
          selected={selected}
          onSelect={setSelected}
          reloadKey={reloadKey}
          initialStart={props.requestedStart}
        />
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
