"use client";

import { useState } from "react";
import { buttonClass, EmptyState, FieldError, inputClass } from "@/components/ui";
import type { OfferingView } from "@/lib/coaches/offering-service";

type Field = "title" | "description" | "durationMinutes" | "price" | "currency";
type Values = Record<Field, string>;
type Errors = Partial<Record<Field, string>>;

const secondaryButtonClass =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50";
const FIELDS: Field[] = ["title", "description", "durationMinutes", "price", "currency"];

function toBody(values: Values) {
  const duration = values.durationMinutes.trim() === "" ? null : Number(values.durationMinutes);
  return {
    title: values.title,
    description: values.description,
    durationMinutes: duration !== null && Number.isFinite(duration) ? duration : null,
    price: values.price,
    currency: values.currency,
  };
}

/** Sends a request; on failure returns the field errors (known fields) and a message for the rest. */
async function send(url: string, method: "POST" | "PATCH", body: unknown): Promise<{ ok: true; offering: OfferingView } | { ok: false; errors: Errors; message: string }> {
  try {
    const response = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, offering: data.offering };
    const fields: Record<string, string> = data?.error?.details?.fields ?? {};
    const errors: Errors = {};
    const rest: string[] = [];
    for (const [path, message] of Object.entries(fields)) {
      if ((FIELDS as string[]).includes(path)) errors[path as Field] = message;
      else rest.push(message);
    }
    const message = rest.length > 0 ? rest.join(" ") : Object.keys(errors).length > 0 ? "Please correct the highlighted fields." : (data?.error?.message ?? "Something went wrong. Please try again.");
    return { ok: false, errors, message };
  } catch {
    return { ok: false, errors: {}, message: "Could not reach the server. Check your connection and try again." };
  }
}

function OfferingFields({ prefix, values, errors, currencies, onChange }: { prefix: string; values: Values; errors: Errors; currencies: string[]; onChange: (field: Field, value: string) => void }) {
  const id = (field: Field) => `${prefix}-${field}`;
  const describedBy = (field: Field) => `${id(field)}-error`;
  return (
    <div className="space-y-4">
      <div>
        <label htmlFor={id("title")} className="text-sm font-medium text-slate-700">Title</label>
        <input id={id("title")} value={values.title} onChange={(e) => onChange("title", e.target.value)} maxLength={100} className={inputClass} aria-invalid={Boolean(errors.title)} aria-describedby={describedBy("title")} placeholder="e.g. Leadership session" />
        <FieldError id={describedBy("title")} message={errors.title} />
      </div>
      <div>
        <label htmlFor={id("description")} className="text-sm font-medium text-slate-700">
          Description <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea id={id("description")} value={values.description} onChange={(e) => onChange("description", e.target.value)} rows={3} maxLength={1000} className={inputClass} aria-invalid={Boolean(errors.description)} aria-describedby={describedBy("description")} />
        <FieldError id={describedBy("description")} message={errors.description} />
      </div>
      <div>
        <label htmlFor={id("durationMinutes")} className="text-sm font-medium text-slate-700">Length</label>
        <div className="flex items-center gap-2">
          <input id={id("durationMinutes")} type="number" inputMode="numeric" min={5} max={480} step={5} value={values.durationMinutes} onChange={(e) => onChange("durationMinutes", e.target.value)} className={`${inputClass} max-w-[7rem]`} aria-invalid={Boolean(errors.durationMinutes)} aria-describedby={describedBy("durationMinutes")} />
          <span className="mt-1 text-sm text-slate-600">minutes</span>
        </div>
        <FieldError id={describedBy("durationMinutes")} message={errors.durationMinutes} />
      </div>
      <div className="grid grid-cols-[minmax(0,1fr)_6.5rem] gap-3">
        <div>
          <label htmlFor={id("price")} className="text-sm font-medium text-slate-700">Price</label>
          <input id={id("price")} inputMode="decimal" value={values.price} onChange={(e) => onChange("price", e.target.value)} className={inputClass} aria-invalid={Boolean(errors.price)} aria-describedby={describedBy("price")} placeholder={values.currency === "jpy" ? "5000" : "49.90"} />
          <FieldError id={describedBy("price")} message={errors.price} />
        </div>
        <div>
          <label htmlFor={id("currency")} className="text-sm font-medium text-slate-700">Currency</label>
          <select id={id("currency")} value={values.currency} onChange={(e) => onChange("currency", e.target.value)} className={inputClass} aria-invalid={Boolean(errors.currency)} aria-describedby={describedBy("currency")}>
            {currencies.map((currency) => (
              <option key={currency} value={currency}>{currency.toUpperCase()}</option>
            ))}
          </select>
          <FieldError id={describedBy("currency")} message={errors.currency} />
        </div>
      </div>
    </div>
  );
}

function useFormState(initial: Values) {
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  function change(field: Field, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  }
  return { values, setValues, errors, setErrors, message, setMessage, pending, setPending, change };
}

function CreateOfferingForm({ currencies, defaultCurrency, onCreated }: { currencies: string[]; defaultCurrency: string; onCreated: (offering: OfferingView) => void }) {
  const empty: Values = { title: "", description: "", durationMinutes: "60", price: "", currency: defaultCurrency };
  const form = useFormState(empty);
  const [created, setCreated] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    form.setPending(true);
    form.setMessage(null);
    setCreated(null);
    const result = await send("/api/coach/offerings", "POST", toBody(form.values));
    form.setPending(false);
    if (!result.ok) {
      form.setErrors(result.errors);
      form.setMessage(result.message);
      return;
    }
    form.setErrors({});
    form.setValues({ ...empty, currency: form.values.currency });
    setCreated(`Created “${result.offering.title}”.`);
    onCreated(result.offering);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="new-offering-heading" data-testid="create-offering-form">
      <h2 id="new-offering-heading" className="mb-4 text-base font-semibold text-slate-900">New offering</h2>
      <OfferingFields prefix="new" values={form.values} errors={form.errors} currencies={currencies} onChange={(field, value) => { form.change(field, value); setCreated(null); }} />
      {form.message ? <p role="alert" data-testid="create-error" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{form.message}</p> : null}
      <div className="mt-5 flex flex-wrap items-center gap-3">
        <button type="submit" disabled={form.pending} className={buttonClass}>{form.pending ? "Creating…" : "Create offering"}</button>
        <p role="status" aria-live="polite" className="text-sm font-medium text-emerald-700" data-testid="create-status">{created}</p>
      </div>
    </form>
  );
}

function OfferingRow({ offering, currencies, onSaved }: { offering: OfferingView; currencies: string[]; onSaved: (offering: OfferingView) => void }) {
  const [editing, setEditing] = useState(false);
  const [toggling, setToggling] = useState(false);
  const [rowMessage, setRowMessage] = useState<string | null>(null);
  const current: Values = { title: offering.title, description: offering.description, durationMinutes: String(offering.durationMinutes), price: offering.price, currency: offering.currency };
  const form = useFormState(current);

  function startEditing() {
    form.setValues(current);
    form.setErrors({});
    form.setMessage(null);
    setRowMessage(null);
    setEditing(true);
  }

  async function save(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    form.setPending(true);
    form.setMessage(null);
    const result = await send(`/api/coach/offerings/${offering.id}`, "PATCH", toBody(form.values));
    form.setPending(false);
    if (!result.ok) {
      form.setErrors(result.errors);
      form.setMessage(result.message);
      return;
    }
    setEditing(false);
    setRowMessage("Changes saved.");
    onSaved(result.offering);
  }

  async function toggleActive() {
    setToggling(true);
    setRowMessage(null);
    const result = await send(`/api/coach/offerings/${offering.id}`, "PATCH", { active: !offering.active });
    setToggling(false);
    if (!result.ok) {
      setRowMessage(result.message);
      return;
    }
    setRowMessage(result.offering.active ? "Reactivated: students can book it again." : "Deactivated: hidden from students.");
    onSaved(result.offering);
  }

  return (
    <li className={`rounded-xl border bg-white p-5 shadow-sm ${offering.active ? "border-slate-200" : "border-dashed border-slate-300 bg-slate-50"}`} data-testid="offering-row" data-title={offering.title}>
      {editing ? (
        <form onSubmit={save} noValidate aria-label={`Edit ${offering.title}`}>
          <h3 className="mb-4 text-sm font-semibold text-slate-900">Edit offering</h3>
          <OfferingFields prefix={`edit-${offering.id}`} values={form.values} errors={form.errors} currencies={currencies} onChange={form.change} />
          {form.message ? <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{form.message}</p> : null}
          <div className="mt-5 flex gap-3">
            <button type="submit" disabled={form.pending} className={buttonClass}>{form.pending ? "Saving…" : "Save changes"}</button>
            <button type="button" className={secondaryButtonClass} onClick={() => setEditing(false)} disabled={form.pending}>Cancel</button>
          </div>
        </form>
      ) : (
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-2">
              <h3 className={`font-medium ${offering.active ? "text-slate-900" : "text-slate-600"}`}>{offering.title}</h3>
              <span
                data-testid="offering-status"
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${offering.active ? "bg-emerald-50 text-emerald-700" : "bg-slate-200 text-slate-600"}`}
              >
                {offering.active ? "Active" : "Inactive"}
              </span>
            </div>
            <p className="mt-1 text-sm text-slate-600">
              {offering.durationMinutes} min · <span data-testid="offering-price" className="font-medium text-slate-800">{offering.priceFormatted}</span>
            </p>
            {offering.description ? <p className="mt-2 whitespace-pre-line text-sm text-slate-600">{offering.description}</p> : null}
          </div>
          <div className="flex shrink-0 gap-2">
            <button type="button" className={secondaryButtonClass} onClick={startEditing} aria-label={`Edit ${offering.title}`}>Edit</button>
            <button type="button" className={secondaryButtonClass} onClick={toggleActive} disabled={toggling} aria-label={`${offering.active ? "Deactivate" : "Reactivate"} ${offering.title}`}>
              {toggling ? "…" : offering.active ? "Deactivate" : "Reactivate"}
            </button>
          </div>
        </div>
      )}
      <p role="status" aria-live="polite" className="mt-2 text-sm text-slate-600 empty:hidden" data-testid="offering-row-status">{!editing ? rowMessage : null}</p>
    </li>
  );
}

export function OfferingsManager({ initial, currencies, defaultCurrency }: { initial: OfferingView[]; currencies: string[]; defaultCurrency: string }) {
  const [offerings, setOfferings] = useState(initial);
  const active = offerings.filter((o) => o.active).length;

  function replace(updated: OfferingView) {
    setOfferings((list) => list.map((o) => (o.id === updated.id ? updated : o)));
  }

  return (
    <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <section aria-labelledby="offerings-heading">
        <div className="mb-3 flex items-baseline justify-between">
          <h2 id="offerings-heading" className="text-lg font-semibold text-slate-800">Your offerings</h2>
          {offerings.length > 0 ? <p className="text-sm text-slate-600">{active} active · {offerings.length - active} inactive</p> : null}
        </div>
        {offerings.length === 0 ? (
          <EmptyState title="No offerings yet">Create your first session on the right: a title, a length and a price. Students can book it right away.</EmptyState>
        ) : (
          <ul className="space-y-3" data-testid="offerings-list">
            {offerings.map((offering) => (
              <OfferingRow key={offering.id} offering={offering} currencies={currencies} onSaved={replace} />
            ))}
          </ul>
        )}
      </section>
      <div>
        <CreateOfferingForm currencies={currencies} defaultCurrency={defaultCurrency} onCreated={(offering) => setOfferings((list) => [...list, offering])} />
      </div>
    </div>
  );
}
