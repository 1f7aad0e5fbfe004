"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { buttonClass, FieldError, inputClass } from "@/components/ui";
import { coachPolicySchema, describePolicy, snapshotPolicy, type CoachPolicyInput } from "@/lib/booking/policy";

type Field = keyof CoachPolicyInput;
const FIELDS: { name: Field; label: string; hint: string; suffix: string }[] = [
  { name: "fullRefundHoursBefore", label: "Full refund", hint: "Students who cancel at least this long before the start get everything back.", suffix: "hours before" },
  { name: "lateCancelRefundPercent", label: "Late cancellation refund", hint: "What students get back when they cancel later than that…", suffix: "%" },
  { name: "partialRefundHoursBefore", label: "…as long as it is at least", hint: "Closer to the start than this, there is no refund. Use 0 to refund the percentage right up to the start.", suffix: "hours before" },
  { name: "rescheduleCutoffHours", label: "Moving a session", hint: "Students can move a session until this long before it starts.", suffix: "hours before" },
  { name: "maxReschedules", label: "Moves per booking", hint: "How many times a student may move one booking (0: never).", suffix: "times" },
];

/** The coach's policy form: whole numbers, validated as they type, with the rules shown in plain words. */
export function PolicyForm({ initial }: { initial: CoachPolicyInput }) {
  const router = useRouter();
  const [values, setValues] = useState<Record<Field, string>>(() => Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, String(v)])) as Record<Field, string>);
  const [serverError, setServerError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const parsed = useMemo(() => coachPolicySchema.safeParse(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === "" ? NaN : Number(v)]))), [values]);
  const errors: Partial<Record<Field, string>> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path[0] as Field] ??= issue.path[0] && values[issue.path[0] as Field].trim() === "" ? "Enter a number." : issue.message;

  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (!parsed.success) return;
    setBusy(true);
    setServerError(null);
    setSaved(false);
    const response = await fetch("/api/coach/policy", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(parsed.data) });
    setBusy(false);
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      return setServerError(data?.error?.message ?? "Could not save. Please try again.");
    }
    setSaved(true);
    router.refresh();
  }

  return (
    <form onSubmit={(e) => void save(e)} className="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate data-testid="policy-form">
      {FIELDS.map((field) => (
        <div key={field.name}>
          <label htmlFor={field.name} className="block text-sm font-medium text-slate-800">{field.label}</label>
          <p className="text-xs text-slate-500">{field.hint}</p>
          <div className="mt-1 flex items-center gap-2">
            <input
              id={field.name}
              name={field.name}
              inputMode="numeric"
              className={`${inputClass} mt-0 w-28`}
              value={values[field.name]}
              aria-invalid={Boolean(errors[field.name])}
              aria-describedby={errors[field.name] ? `${field.name}-error` : undefined}
              onChange={(e) => { setSaved(false); setValues((v) => ({ ...v, [field.name]: e.target.value })); }}
            />
            <span className="text-sm text-slate-600">{field.suffix}</span>
          </div>
          <FieldError id={`${field.name}-error`} message={errors[field.name]} />
        </div>
      ))}
      {parsed.success ? (
        <div className="rounded-md bg-slate-50 p-3 text-sm text-slate-700" data-testid="policy-summary">
          <p className="mb-1 font-medium">Students will see</p>
          <ul className="list-disc space-y-0.5 pl-5">{describePolicy(snapshotPolicy(parsed.data)).map((line) => <li key={line}>{line}</li>)}</ul>
        </div>
      ) : null}
      {serverError ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{serverError}</p> : null}
      {saved ? <p role="status" className="text-sm text-emerald-700" data-testid="policy-saved">Saved. New bookings use this policy.</p> : null}
      <button type="submit" className={buttonClass} disabled={!parsed.success || busy} data-testid="save-policy">{busy ? "Saving…" : "Save policy"}</button>
    </form>
  );
}
