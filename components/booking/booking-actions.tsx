"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { WeekSlots, type Slot } from "@/components/booking/week-slots";
import { buttonClass, inputClass } from "@/components/ui";
import { formatMoney } from "@/lib/money";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";

export interface ActionOffering {
  id: string;
  title: string;
  priceMinor: number;
  currency: string;
  durationMinutes: number;
}

interface Props {
  bookingId: string;
  status: string;
  /** Who is looking: the wording differs (the student gets the policy refund, a coach's cancel refunds 100%). */
  viewer: "STUDENT" | "COACH" | "ADMIN";
  coachId: string;
  offeringId: string;
  /** The coach's active offerings in the booking's currency (a move to another currency is refused). */
  offerings: ActionOffering[];
  /** Plain-language lines of the booking's policy snapshot. */
  policyLines: string[];
  /** Why this viewer cannot move it now (shown instead of the button). */
  rescheduleBlocked?: string | null;
  timeZone: string;
  startsAt: string;
  /** In a list row: no separator above the buttons. */
  compact?: boolean;
  /** After a move, where the new booking is shown (`${base}/${id}`); without it the page refreshes. */
  bookingHrefBase?: string;
}

type CancelAnswer = { status: string; refund: { amountMinor: number; currency: string; status: string } };
type MoveAnswer = { bookingId: string; status: "RESCHEDULED" | "AWAITING_PAYMENT"; difference: { amountMinor: number; currency: string }; checkoutUrl?: string };

async function post<T>(url: string, body: unknown): Promise<{ ok: true; data: T } | { ok: false; message: string }> {
  try {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const data = await response.json().catch(() => null);
    if (!response.ok) return { ok: false, message: data?.error?.message ?? "Something went wrong. Please try again." };
    return { ok: true, data: data as T };
  } catch {
    return { ok: false, message: "The server could not be reached. Please try again." };
  }
}

/**
 * Cancel and Reschedule for one booking, for its student and its coach (self-contained: any page can render it).
 * Each dialog first asks the server for a dry run, so what the person sees before committing is exactly what the
 * real action does (the refund, or the price difference), then shows the outcome.
 */
export function BookingActions(props: Props) {
  const [open, setOpen] = useState<"cancel" | "move" | null>(null);
  const live = props.status === "CONFIRMED" || props.status === "PENDING_PAYMENT" || props.status === "AWAITING_FUNDS";
  const actionable = live && new Date(props.startsAt) > new Date();
  // An open dialog stays (with its outcome) when the page refreshes under it and the booking is no longer live.
  if (!actionable && !open) return null;
  return (
    <div className={props.compact ? "" : "mt-6 border-t border-slate-200 pt-5"} data-testid="booking-actions">
      <div className={`flex flex-wrap gap-3 ${actionable ? "" : "hidden"}`}>
        {props.status === "CONFIRMED" && props.rescheduleBlocked ? (
          <p className="text-sm text-slate-600" data-testid="reschedule-blocked">{props.rescheduleBlocked}</p>
        ) : props.status === "CONFIRMED" ? (
          <button type="button" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50" onClick={() => setOpen("move")} data-testid="open-reschedule">
            Reschedule
          </button>
        ) : null}
        <button type="button" className="rounded-md border border-red-200 bg-white px-4 py-2 text-sm font-medium text-red-700 hover:bg-red-50" onClick={() => setOpen("cancel")} data-testid="open-cancel">
          {props.status === "CONFIRMED" ? "Cancel booking" : "Cancel hold"}
        </button>
      </div>
      {open === "cancel" ? <CancelDialog {...props} onClose={() => setOpen(null)} /> : null}
      {open === "move" ? <RescheduleDialog {...props} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

function Dialog({ title, children, onClose, testId }: { title: string; children: React.ReactNode; onClose: () => void; testId: string }) {
  return (
    <div role="dialog" aria-modal="true" aria-label={title} className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-slate-900/40 p-4" data-testid={testId}>
      <div className="mt-10 w-full max-w-3xl rounded-xl bg-white p-6 shadow-xl">
        <div className="mb-4 flex items-center justify-between">
          <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
          <button type="button" onClick={onClose} className="text-sm text-slate-500 hover:text-slate-800" aria-label="Close">Close</button>
        </div>
        {children}
      </div>
    </div>
  );
}

function PolicyList({ lines }: { lines: string[] }) {
  return (
    <div className="rounded-md bg-slate-50 p-3 text-sm text-slate-700" data-testid="policy">
      <p className="mb-1 font-medium">Policy for this booking (as agreed when it was booked)</p>
      <ul className="list-disc space-y-0.5 pl-5">{lines.map((line) => <li key={line}>{line}</li>)}</ul>
    </div>
  );
}

const REFUND_WORDS: Record<string, string> = { none: "no refund", pending: "refund on its way", succeeded: "refunded", failed: "refund failed (we are on it)" };

function CancelDialog(props: Props & { onClose: () => void }) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [preview, setPreview] = useState<CancelAnswer | null>(null);
  const [done, setDone] = useState<CancelAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stale = false;
    void post<CancelAnswer>("/api/calcom/cancel-booking", { bookingId: props.bookingId, dryRun: true }).then((r) => {
      if (stale) return;
      if (r.ok) setPreview(r.data);
      else setError(r.message);
    });
    return () => {
      stale = true;
    };
  }, [props.bookingId]);

  async function confirm() {
    setBusy(true);
    setError(null);
    const r = await post<CancelAnswer>("/api/calcom/cancel-booking", { bookingId: props.bookingId, reason: reason.trim() || undefined });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setDone(r.data);
    router.refresh();
  }

  const who = props.viewer === "STUDENT" ? "You get back" : "The student gets back";
  return (
    <Dialog title={props.status === "CONFIRMED" ? "Cancel this booking" : "Cancel this hold"} onClose={props.onClose} testId="cancel-dialog">
      {done ? (
        <p className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800" data-testid="cancel-outcome">
          Cancelled. {done.refund.amountMinor > 0 ? `${formatMoney(done.refund.amountMinor, done.refund.currency)}: ${REFUND_WORDS[done.refund.status] ?? done.refund.status}.` : "Nothing to refund."}
        </p>
      ) : (
        <div className="space-y-4">
          {props.status === "CONFIRMED" ? <PolicyList lines={props.policyLines} /> : null}
          {preview ? (
            <p className="text-base" data-testid="cancel-preview">
              {who} <strong>{formatMoney(preview.refund.amountMinor, preview.refund.currency)}</strong>
              {props.viewer !== "STUDENT" && props.status === "CONFIRMED" ? " (a cancellation by the coach is always refunded in full)" : ""}.
            </p>
          ) : !error ? (
            <p className="text-sm text-slate-500" role="status">Working out the refund…</p>
          ) : null}
          <label className="block text-sm">
            <span className="text-slate-700">Reason (optional, shared with the other person)</span>
            <textarea className={inputClass} rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="cancel-reason" />
          </label>
          {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="cancel-error">{error}</p> : null}
          <div className="flex gap-3">
            <button type="button" className={`${buttonClass} bg-red-600 hover:bg-red-700`} disabled={!preview || busy} onClick={() => void confirm()} data-testid="confirm-cancel">
              {busy ? "Cancelling…" : "Yes, cancel"}
            </button>
            <button type="button" className="rounded-md border border-slate-300 px-4 py-2 text-sm" onClick={props.onClose}>Keep it</button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

function RescheduleDialog(props: Props & { onClose: () => void }) {
  const router = useRouter();
  const [offeringId, setOfferingId] = useState(props.offeringId);
  const [selected, setSelected] = useState<Slot | null>(null);
  const [preview, setPreview] = useState<MoveAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const request = (slot: Slot, dryRun: boolean) => ({ bookingId: props.bookingId, start: slot.start, timeZone: props.timeZone, offeringId, dryRun });

  async function choose(slot: Slot | null) {
    setSelected(slot);
    setPreview(null);
    setError(null);
    if (!slot) return;
    const r = await post<MoveAnswer>("/api/calcom/reschedule-booking", request(slot, true));
    if (r.ok) setPreview(r.data);
    else setError(r.message);
  }

  async function confirm() {
    if (!selected) return;
    setBusy(true);
    setError(null);
    const r = await post<MoveAnswer>("/api/calcom/reschedule-booking", request(selected, false));
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      setReloadKey((k) => k + 1);
      return;
    }
    if (r.data.status === "AWAITING_PAYMENT" && r.data.checkoutUrl) return window.location.assign(r.data.checkoutUrl);
    if (props.bookingHrefBase) router.push(`${props.bookingHrefBase}/${r.data.bookingId}`);
    else props.onClose();
    router.refresh();
  }

  const offering = props.offerings.find((o) => o.id === offeringId);
  const diff = preview?.difference.amountMinor ?? 0;
  return (
    <Dialog title="Move this booking" onClose={props.onClose} testId="reschedule-dialog">
      <div className="space-y-4">
        <PolicyList lines={props.policyLines} />
        {props.offerings.length > 1 ? (
          <label className="block text-sm">
            <span className="text-slate-700">Session</span>
            <select className={inputClass} value={offeringId} onChange={(e) => { setOfferingId(e.target.value); void choose(null); }} data-testid="reschedule-offering">
              {props.offerings.map((o) => (
                <option key={o.id} value={o.id}>{o.title} · {o.durationMinutes} min · {formatMoney(o.priceMinor, o.currency)}</option>
              ))}
            </select>
          </label>
        ) : null}
        <WeekSlots layout="week" coachId={props.coachId} offeringId={offeringId} timeZone={props.timeZone} selected={selected} onSelect={(slot) => void choose(slot)} reloadKey={reloadKey} excludeStart={offeringId === props.offeringId ? props.startsAt : undefined} />
        {selected && preview ? (
          <p className="text-base" data-testid="reschedule-preview">
            New time: <strong>{formatInZone(selected.start, props.timeZone)} – {formatTimeInZone(selected.end, props.timeZone)}</strong>
            {offering ? ` (${offering.title})` : ""}.{" "}
            {diff > 0 ? <>To pay now: <strong data-testid="difference">{formatMoney(diff, preview.difference.currency)}</strong>; the move completes when it is paid, until then your current time stays booked.</>
              : diff < 0 ? <>Refund of the difference: <strong data-testid="difference">{formatMoney(-diff, preview.difference.currency)}</strong>.</>
              : <>Same price: nothing to pay.</>}
          </p>
        ) : null}
        {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="reschedule-error">{error}</p> : null}
        <div className="flex gap-3">
          <button type="button" className={buttonClass} disabled={!preview || busy} onClick={() => void confirm()} data-testid="confirm-reschedule">
            {busy ? "Moving…" : diff > 0 ? "Pay the difference" : "Move the booking"}
          </button>
          <button type="button" className="rounded-md border border-slate-300 px-4 py-2 text-sm" onClick={props.onClose}>Keep the current time</button>
        </div>
      </div>
    </Dialog>
  );
}
