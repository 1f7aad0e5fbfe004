"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { buttonClass, FieldError, inputClass } from "@/components/ui";
import { useUnsavedChangesWarning } from "@/components/use-unsaved-changes-warning";
import type { AvailabilityForm as AvailabilityData, AvailabilityFormInput } from "@/lib/coaches/availability-schemas";

/** Monday first, as coaches read a week; the API numbers days 0 = Sunday … 6 = Saturday. */
const DAYS = [
  { weekday: 1, name: "Monday" },
  { weekday: 2, name: "Tuesday" },
  { weekday: 3, name: "Wednesday" },
  { weekday: 4, name: "Thursday" },
  { weekday: 5, name: "Friday" },
  { weekday: 6, name: "Saturday" },
  { weekday: 0, name: "Sunday" },
];
const MAX_RANGES = 20;
const SLOT_INTERVALS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240];
const NOTICE_UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
type NoticeUnit = keyof typeof NOTICE_UNITS;

type Range = { key: string; start: string; end: string };
type Override = { key: string; date: string; dayOff: boolean; ranges: Range[] };
interface State {
  timeZone: string;
  weekly: Record<number, Range[]>;
  overrides: Override[];
  bufferBefore: string;
  bufferAfter: string;
  notice: string;
  noticeUnit: NoticeUnit;
  horizon: string;
  slotInterval: string;
}
type Errors = Record<string, string>;

const timeInputClass =
  "block w-[7.5rem] rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm tabular-nums shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 aria-[invalid=true]:border-red-500";
const secondaryButtonClass =
  "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50";
const iconButtonClass =
  "inline-flex h-8 w-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-700";

// <input type="time"> cannot show 24:00; an end of 00:00 is read as midnight at the end of the day.
const endForInput = (end: string) => (end === "24:00" ? "00:00" : end);
const endForApi = (end: string) => (end === "00:00" ? "24:00" : end);

function addMinutes(time: string, minutes: number): string {
  const total = Math.min(24 * 60, Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) + minutes);
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

function noticeParts(minutes: number): { notice: string; noticeUnit: NoticeUnit } {
  if (minutes > 0 && minutes % 1440 === 0) return { notice: String(minutes / 1440), noticeUnit: "days" };
  if (minutes > 0 && minutes % 60 === 0) return { notice: String(minutes / 60), noticeUnit: "hours" };
  return { notice: String(minutes), noticeUnit: "minutes" };
}

/** Keys are derived from positions so the server and the browser render the same ids. */
function toState(data: AvailabilityData): State {
  const weekly: Record<number, Range[]> = { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] };
  for (const rule of data.weeklyRules) {
    weekly[rule.weekday].push({ key: `w${rule.weekday}-${weekly[rule.weekday].length}`, start: rule.start, end: endForInput(rule.end) });
  }
  return {
    timeZone: data.timeZone,
    weekly,
    overrides: data.dateOverrides.map((override, i) => ({
      key: `o${i}`,
      date: override.date,
      dayOff: override.ranges.length === 0,
      ranges: override.ranges.map((range, j) => ({ key: `o${i}-${j}`, start: range.start, end: endForInput(range.end) })),
    })),
    bufferBefore: String(data.bufferBeforeMinutes),
    bufferAfter: String(data.bufferAfterMinutes),
    ...noticeParts(data.minimumNoticeMinutes),
    horizon: String(data.bookingHorizonDays),
    slotInterval: data.slotIntervalMinutes === null ? "" : String(data.slotIntervalMinutes),
  };
}

/** A number typed into a field, or null (which the API reports as missing) when it is not one. */
function numberOrNull(text: string): number | null {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * The request body plus, for every position in it, the key of the row it came from, so that an error at
 * `weeklyRules.3.end` can be shown next to the right input.
 */
function toRequest(state: State) {
  const weeklyKeys: string[] = [];
  const weeklyRules: AvailabilityFormInput["weeklyRules"] = [];
  for (const { weekday } of DAYS) {
    for (const range of state.weekly[weekday]) {
      weeklyKeys.push(range.key);
      weeklyRules.push({ weekday, start: range.start, end: endForApi(range.end) });
    }
  }
  const notice = numberOrNull(state.notice);
  const body = {
    timeZone: state.timeZone,
    weeklyRules,
    dateOverrides: state.overrides.map((override) => ({
      date: override.date,
      ranges: override.dayOff ? [] : override.ranges.map((range) => ({ start: range.start, end: endForApi(range.end) })),
    })),
    bufferBeforeMinutes: numberOrNull(state.bufferBefore),
    bufferAfterMinutes: numberOrNull(state.bufferAfter),
    minimumNoticeMinutes: notice === null ? null : Math.round(notice * NOTICE_UNITS[state.noticeUnit]),
    bookingHorizonDays: numberOrNull(state.horizon),
    slotIntervalMinutes: state.slotInterval === "" ? null : Number(state.slotInterval),
  };
  return { body, weeklyKeys, overrideKeys: state.overrides.map((o) => ({ key: o.key, ranges: o.ranges.map((r) => r.key) })) };
}

/** Maps the API's field paths onto the form's row keys; what matches no field is returned as `rest`. */
function mapErrors(fields: Record<string, string>, request: ReturnType<typeof toRequest>): { errors: Errors; rest: string[] } {
  const errors: Errors = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const parts = path.split(".");
    let key: string | null = null;
    if (parts[0] === "weeklyRules" && parts.length >= 2) {
      const rowKey = request.weeklyKeys[Number(parts[1])];
      if (rowKey) key = parts[2] === "start" || parts[2] === "end" ? `${rowKey}.${parts[2]}` : rowKey;
    } else if (parts[0] === "dateOverrides" && parts.length >= 2) {
      const override = request.overrideKeys[Number(parts[1])];
      if (override) {
        if (parts[2] === "ranges" && parts.length >= 4) {
          const rangeKey = override.ranges[Number(parts[3])];
          key = rangeKey ? (parts[4] === "start" || parts[4] === "end" ? `${rangeKey}.${parts[4]}` : rangeKey) : `${override.key}.ranges`;
        } else {
          key = parts[2] === "date" ? `${override.key}.date` : parts[2] === "ranges" ? `${override.key}.ranges` : `${override.key}.date`;
        }
      }
    } else if (["timeZone", "bufferBeforeMinutes", "bufferAfterMinutes", "minimumNoticeMinutes", "bookingHorizonDays", "slotIntervalMinutes"].includes(path)) {
      key = path;
    }
    if (key) errors[key] = errors[key] ?? message;
    else rest.push(message);
  }
  return { errors, rest };
}

function Label({ htmlFor, children }: { htmlFor: string; children: React.ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="text-sm font-medium text-slate-700">
      {children}
    </label>
  );
}

function SectionHeading({ id, title, children }: { id: string; title: string; children?: React.ReactNode }) {
  return (
    <div className="mb-4">
      <h2 id={id} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      {children ? <p className="mt-1 text-sm text-slate-600">{children}</p> : null}
    </div>
  );
}

interface RangeRowProps {
  range: Range;
  label: string;
  errors: Errors;
  onChange: (patch: Partial<Range>) => void;
  onRemove: () => void;
}

function RangeRow({ range, label, errors, onChange, onRemove }: RangeRowProps) {
  const startError = errors[`${range.key}.start`];
  const endError = errors[`${range.key}.end`];
  const rowError = errors[range.key];
  const errorId = `${range.key}-error`;
  return (
    <div data-testid="range">
      {/* Wraps the remove button under the times where a 390 px phone has no room for all three (date overrides). */}
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${range.key}-start`} className="sr-only">
          {label} start
        </label>
        <input
          id={`${range.key}-start`}
          type="time"
          value={range.start}
          onChange={(e) => onChange({ start: e.target.value })}
          className={timeInputClass}
          aria-invalid={Boolean(startError || rowError)}
          aria-describedby={errorId}
        />
        <span aria-hidden className="text-slate-600">
          –
        </span>
        <label htmlFor={`${range.key}-end`} className="sr-only">
          {label} end
        </label>
        <input
          id={`${range.key}-end`}
          type="time"
          value={range.end}
          onChange={(e) => onChange({ end: e.target.value })}
          className={timeInputClass}
          aria-invalid={Boolean(endError)}
          aria-describedby={errorId}
        />
        <button type="button" onClick={onRemove} className={iconButtonClass} aria-label={`Remove ${label}`} title="Remove this range">
          <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
            <path d="M5 5l10 10M15 5L5 15" />
          </svg>
        </button>
      </div>
      <FieldError id={errorId} message={startError ?? endError ?? rowError} />
    </div>
  );
}

export function AvailabilityForm({ initial, timeZones }: { initial: AvailabilityData; timeZones: string[] }) {
  const router = useRouter();
  const [state, setState] = useState<State>(() => toState(initial));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState<"idle" | "saving" | "saved" | "dirty">("idle");
  useUnsavedChangesWarning(status === "dirty" || status === "saving");
  const [newDate, setNewDate] = useState("");
  const [newDateError, setNewDateError] = useState<string | null>(null);
  const counter = useRef(0);
  const nextKey = (prefix: string) => `${prefix}n${++counter.current}`;

  function update(change: (current: State) => State, clear: string[] = []) {
    setState(change);
    setStatus((s) => (s === "saving" ? s : "dirty"));
    if (clear.length > 0) {
      setErrors((current) => {
        const next = { ...current };
        for (const key of clear) delete next[key];
        return next;
      });
    }
  }

  // Weekly hours
  function addRange(weekday: number) {
    update((s) => {
      const ranges = s.weekly[weekday];
      const last = ranges[ranges.length - 1];
      const lastEnd = last ? endForApi(last.end) : null;
      const start = lastEnd && lastEnd < "23:00" ? lastEnd : "09:00";
      const end = lastEnd && lastEnd < "23:00" ? endForInput(addMinutes(start, 60)) : "17:00";
      return { ...s, weekly: { ...s.weekly, [weekday]: [...ranges, { key: nextKey(`w${weekday}-`), start, end }] } };
    });
  }
  function changeRange(weekday: number, key: string, patch: Partial<Range>) {
    update(
      (s) => ({ ...s, weekly: { ...s.weekly, [weekday]: s.weekly[weekday].map((r) => (r.key === key ? { ...r, ...patch } : r)) } }),
      [key, `${key}.start`, `${key}.end`],
    );
  }
  function removeRange(weekday: number, key: string) {
    update((s) => ({ ...s, weekly: { ...s.weekly, [weekday]: s.weekly[weekday].filter((r) => r.key !== key) } }), [key, `${key}.start`, `${key}.end`]);
  }

  // Date overrides
  function addOverride() {
    if (!newDate) {
      setNewDateError("Choose a date first.");
      return;
    }
    if (state.overrides.some((o) => o.date === newDate)) {
      setNewDateError("This date is already in the list.");
      return;
    }
    setNewDateError(null);
    update((s) => ({
      ...s,
      overrides: [...s.overrides, { key: nextKey("o"), date: newDate, dayOff: true, ranges: [] }].sort((a, b) => a.date.localeCompare(b.date)),
    }));
    setNewDate("");
  }
  function changeOverride(key: string, patch: Partial<Override>, clear: string[] = []) {
    update((s) => ({ ...s, overrides: s.overrides.map((o) => (o.key === key ? { ...o, ...patch } : o)) }), [`${key}.date`, `${key}.ranges`, ...clear]);
  }
  function setDayOff(override: Override, dayOff: boolean) {
    const ranges = !dayOff && override.ranges.length === 0 ? [{ key: nextKey(`${override.key}-`), start: "09:00", end: "17:00" }] : override.ranges;
    changeOverride(override.key, { dayOff, ranges });
  }
  function addOverrideRange(override: Override) {
    const last = override.ranges[override.ranges.length - 1];
    const lastEnd = last ? endForApi(last.end) : null;
    const start = lastEnd && lastEnd < "23:00" ? lastEnd : "09:00";
    const end = lastEnd && lastEnd < "23:00" ? endForInput(addMinutes(start, 60)) : "17:00";
    changeOverride(override.key, { ranges: [...override.ranges, { key: nextKey(`${override.key}-`), start, end }] });
  }
  function changeOverrideRange(override: Override, key: string, patch: Partial<Range>) {
    changeOverride(override.key, { ranges: override.ranges.map((r) => (r.key === key ? { ...r, ...patch } : r)) }, [key, `${key}.start`, `${key}.end`]);
  }
  function removeOverrideRange(override: Override, key: string) {
    const ranges = override.ranges.filter((r) => r.key !== key);
    changeOverride(override.key, { ranges, dayOff: ranges.length === 0 ? true : override.dayOff }, [key, `${key}.start`, `${key}.end`]);
  }
  function removeOverride(key: string) {
    update((s) => ({ ...s, overrides: s.overrides.filter((o) => o.key !== key) }), [`${key}.date`, `${key}.ranges`]);
  }

  function setField<K extends "timeZone" | "bufferBefore" | "bufferAfter" | "notice" | "noticeUnit" | "horizon" | "slotInterval">(field: K, value: State[K], errorKey: string) {
    update((s) => ({ ...s, [field]: value }), [errorKey]);
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const request = toRequest(state);
    setStatus("saving");
    setErrors({});
    setFormError(null);
    try {
      const response = await fetch("/api/coach/availability", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request.body),
      });
      const data = await response.json().catch(() => null);
      if (!response.ok) {
        const fields: Record<string, string> = data?.error?.details?.fields ?? {};
        const { errors: mapped, rest } = mapErrors(fields, request);
        setErrors(mapped);
        setFormError(
          rest.length > 0 ? rest.join(" ") : Object.keys(mapped).length > 0 ? "Please correct the highlighted fields." : (data?.error?.message ?? "Could not save. Please try again."),
        );
        setStatus("dirty");
        return;
      }
      setState(toState(data.availability));
      setStatus("saved");
      router.refresh();
    } catch {
      setFormError("Could not reach the server. Check your connection and try again.");
      setStatus("dirty");
    }
  }

  const zones = timeZones.includes(state.timeZone) ? timeZones : [state.timeZone, ...timeZones];
  const intervals = state.slotInterval === "" || SLOT_INTERVALS.includes(Number(state.slotInterval)) ? SLOT_INTERVALS : [...SLOT_INTERVALS, Number(state.slotInterval)].sort((a, b) => a - b);

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6" data-testid="availability-form">
      <section aria-labelledby="zone-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <SectionHeading id="zone-heading" title="Time zone">
          Your weekly hours and dates below are in this zone. Students see the times in their own.
        </SectionHeading>
        <Label htmlFor="timeZone">Availability time zone</Label>
        <select
          id="timeZone"
          value={state.timeZone}
          onChange={(e) => setField("timeZone", e.target.value, "timeZone")}
          className={`${inputClass} max-w-sm`}
          aria-invalid={Boolean(errors.timeZone)}
          aria-describedby="timeZone-error"
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </select>
        <FieldError id="timeZone-error" message={errors.timeZone} />
      </section>

      <section aria-labelledby="weekly-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <SectionHeading id="weekly-heading" title="Weekly hours">
          Add one or more ranges per day. An end of 00:00 (12:00 AM) means midnight at the end of the day.
        </SectionHeading>
        <div className="divide-y divide-slate-100 border-t border-slate-100">
          {DAYS.map(({ weekday, name }) => {
            const ranges = state.weekly[weekday];
            return (
              <div key={weekday} className="grid gap-2 py-3 sm:grid-cols-[7.5rem_1fr] sm:gap-4" data-testid={`day-${weekday}`} role="group" aria-label={name}>
                <div className="pt-1.5 text-sm font-medium text-slate-800">{name}</div>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="space-y-2">
                    {ranges.length === 0 ? <p className="pt-1.5 text-sm text-slate-600">Unavailable</p> : null}
                    {ranges.map((range, i) => (
                      <RangeRow
                        key={range.key}
                        range={range}
                        label={`${name} range ${i + 1}`}
                        errors={errors}
                        onChange={(patch) => changeRange(weekday, range.key, patch)}
                        onRemove={() => removeRange(weekday, range.key)}
                      />
                    ))}
                  </div>
                  <button type="button" className={secondaryButtonClass} onClick={() => addRange(weekday)} disabled={ranges.length >= MAX_RANGES} aria-label={`Add range on ${name}`}>
                    <span aria-hidden>+</span> Add range
                  </button>
                </div>
              </div>
            );
          })}
        </div>
      </section>

      <section aria-labelledby="overrides-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <SectionHeading id="overrides-heading" title="Date overrides">
          Holidays or one-off changes: a date listed here replaces that day&apos;s weekly hours.
        </SectionHeading>
        {state.overrides.length === 0 ? (
          <p className="mb-4 rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600" data-testid="no-overrides">
            No date overrides. Your weekly hours apply every week.
          </p>
        ) : (
          <ul className="mb-4 space-y-3" data-testid="override-list">
            {state.overrides.map((override) => {
              const dateError = errors[`${override.key}.date`];
              const rangesError = errors[`${override.key}.ranges`];
              return (
                <li key={override.key} className="rounded-lg border border-slate-200 p-4" data-testid="override">
                  <div className="flex flex-wrap items-start gap-4">
                    <div>
                      <Label htmlFor={`${override.key}-date`}>Date</Label>
                      <input
                        id={`${override.key}-date`}
                        type="date"
                        value={override.date}
                        onChange={(e) => changeOverride(override.key, { date: e.target.value })}
                        className={`${timeInputClass} mt-1 w-[10rem]`}
                        aria-invalid={Boolean(dateError)}
                        aria-describedby={`${override.key}-date-error`}
                      />
                      <FieldError id={`${override.key}-date-error`} message={dateError} />
                    </div>
                    <fieldset className="min-w-0 grow basis-[17rem]">
                      <legend className="text-sm font-medium text-slate-700">Hours</legend>
                      <div className="mt-2 flex flex-wrap gap-4 text-sm">
                        <label className="flex items-center gap-2">
                          <input type="radio" name={`${override.key}-mode`} checked={override.dayOff} onChange={() => setDayOff(override, true)} />
                          Day off
                        </label>
                        <label className="flex items-center gap-2">
                          <input type="radio" name={`${override.key}-mode`} checked={!override.dayOff} onChange={() => setDayOff(override, false)} />
                          Custom hours
                        </label>
                      </div>
                      {!override.dayOff ? (
                        <div className="mt-3 space-y-2">
                          {override.ranges.map((range, i) => (
                            <RangeRow
                              key={range.key}
                              range={range}
                              label={`${override.date || "override"} range ${i + 1}`}
                              errors={errors}
                              onChange={(patch) => changeOverrideRange(override, range.key, patch)}
                              onRemove={() => removeOverrideRange(override, range.key)}
                            />
                          ))}
                          <button type="button" className={secondaryButtonClass} onClick={() => addOverrideRange(override)} disabled={override.ranges.length >= MAX_RANGES}>
                            <span aria-hidden>+</span> Add range
                          </button>
                        </div>
                      ) : null}
                      <FieldError id={`${override.key}-ranges-error`} message={rangesError} />
                    </fieldset>
                    <button type="button" onClick={() => removeOverride(override.key)} className="text-sm font-medium text-slate-600 hover:text-red-600" aria-label={`Remove the override for ${override.date || "this date"}`}>
                      Remove
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <Label htmlFor="new-override-date">Add a date</Label>
            <input
              id="new-override-date"
              type="date"
              value={newDate}
              onChange={(e) => {
                setNewDate(e.target.value);
                setNewDateError(null);
              }}
              className={`${timeInputClass} mt-1 w-[10rem]`}
              aria-invalid={Boolean(newDateError)}
              aria-describedby="new-override-date-error"
            />
          </div>
          <button type="button" className={secondaryButtonClass} onClick={addOverride}>
            <span aria-hidden>+</span> Add date
          </button>
        </div>
        <FieldError id="new-override-date-error" message={newDateError ?? undefined} />
      </section>

      <section aria-labelledby="rules-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <SectionHeading id="rules-heading" title="Booking rules">
          Breathing room between sessions and how far ahead students can book.
        </SectionHeading>
        <div className="grid gap-5 sm:grid-cols-2">
          <div>
            <Label htmlFor="bufferBefore">Buffer before a session</Label>
            <div className="flex items-center gap-2">
              <input id="bufferBefore" type="number" inputMode="numeric" min={0} max={240} step={5} value={state.bufferBefore} onChange={(e) => setField("bufferBefore", e.target.value, "bufferBeforeMinutes")} className={`${inputClass} max-w-[8rem]`} aria-invalid={Boolean(errors.bufferBeforeMinutes)} aria-describedby="bufferBefore-error" />
              <span className="mt-1 text-sm text-slate-600">minutes</span>
            </div>
            <FieldError id="bufferBefore-error" message={errors.bufferBeforeMinutes} />
          </div>
          <div>
            <Label htmlFor="bufferAfter">Buffer after a session</Label>
            <div className="flex items-center gap-2">
              <input id="bufferAfter" type="number" inputMode="numeric" min={0} max={240} step={5} value={state.bufferAfter} onChange={(e) => setField("bufferAfter", e.target.value, "bufferAfterMinutes")} className={`${inputClass} max-w-[8rem]`} aria-invalid={Boolean(errors.bufferAfterMinutes)} aria-describedby="bufferAfter-error" />
              <span className="mt-1 text-sm text-slate-600">minutes</span>
            </div>
            <FieldError id="bufferAfter-error" message={errors.bufferAfterMinutes} />
          </div>
          <div>
            <Label htmlFor="notice">Minimum notice</Label>
            <div className="flex items-center gap-2">
              <input id="notice" type="number" inputMode="numeric" min={0} value={state.notice} onChange={(e) => setField("notice", e.target.value, "minimumNoticeMinutes")} className={`${inputClass} max-w-[8rem]`} aria-invalid={Boolean(errors.minimumNoticeMinutes)} aria-describedby="notice-error notice-hint" />
              <label htmlFor="noticeUnit" className="sr-only">Notice unit</label>
              <select id="noticeUnit" value={state.noticeUnit} onChange={(e) => setField("noticeUnit", e.target.value as NoticeUnit, "minimumNoticeMinutes")} className={`${inputClass} max-w-[8rem]`}>
                <option value="minutes">minutes</option>
                <option value="hours">hours</option>
                <option value="days">days</option>
              </select>
            </div>
            <p id="notice-hint" className="mt-1 text-xs text-slate-600">No bookings closer than this to the start. Up to 30 days.</p>
            <FieldError id="notice-error" message={errors.minimumNoticeMinutes} />
          </div>
          <div>
            <Label htmlFor="horizon">Booking horizon</Label>
            <div className="flex items-center gap-2">
              <input id="horizon" type="number" inputMode="numeric" min={1} max={365} value={state.horizon} onChange={(e) => setField("horizon", e.target.value, "bookingHorizonDays")} className={`${inputClass} max-w-[8rem]`} aria-invalid={Boolean(errors.bookingHorizonDays)} aria-describedby="horizon-error horizon-hint" />
              <span className="mt-1 text-sm text-slate-600">days ahead</span>
            </div>
            <p id="horizon-hint" className="mt-1 text-xs text-slate-600">How far into the future students can book (1–365 days).</p>
            <FieldError id="horizon-error" message={errors.bookingHorizonDays} />
          </div>
          <div className="sm:col-span-2">
            <Label htmlFor="slotInterval">Start times every</Label>
            <select id="slotInterval" value={state.slotInterval} onChange={(e) => setField("slotInterval", e.target.value, "slotIntervalMinutes")} className={`${inputClass} max-w-xs`} aria-invalid={Boolean(errors.slotIntervalMinutes)} aria-describedby="slotInterval-error slotInterval-hint">
              <option value="">Session length (back to back)</option>
              {intervals.map((minutes) => (
                <option key={minutes} value={String(minutes)}>
                  {minutes < 60 || minutes % 60 !== 0 ? `${minutes} minutes` : `${minutes / 60} hour${minutes === 60 ? "" : "s"}`}
                </option>
              ))}
            </select>
            <p id="slotInterval-hint" className="mt-1 text-xs text-slate-600">The spacing of the start times students can pick.</p>
            <FieldError id="slotInterval-error" message={errors.slotIntervalMinutes} />
          </div>
        </div>
      </section>

      <div className="flex flex-wrap items-center gap-4 rounded-xl border border-slate-200 bg-white px-6 py-4 shadow-sm">
        <button type="submit" disabled={status === "saving"} className={buttonClass}>
          {status === "saving" ? "Saving…" : "Save availability"}
        </button>
        <p role="status" aria-live="polite" className="text-sm" data-testid="save-status">
          {status === "saved" ? (
            <span className="inline-flex items-center gap-1.5 font-medium text-emerald-700">
              <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                <path d="M4 10.5l4 4 8-9" />
              </svg>
              Saved
            </span>
          ) : status === "dirty" && !formError ? (
            <span className="text-slate-700">Unsaved changes</span>
          ) : null}
        </p>
        {formError ? (
          <p role="alert" data-testid="form-error" className="w-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 sm:w-auto">
            {formError}
          </p>
        ) : null}
      </div>
    </form>
  );
}
