"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { buttonClass, FieldError, inputClass } from "@/components/ui";

type Fields = Partial<Record<"role" | "name" | "email" | "password" | "timeZone", string>>;

export function SignUpForm({ timeZones, callbackUrl }: { timeZones: string[]; callbackUrl: string | null }) {
  const router = useRouter();
  const [timeZone, setTimeZone] = useState("UTC");
  const [errors, setErrors] = useState<Fields>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (detected) setTimeZone(detected);
  }, []);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = Object.fromEntries(form.entries());
    setPending(true);
    setErrors({});
    setFormError(null);
    try {
      const response = await fetch("/api/accounts", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!response.ok) {
        const data = await response.json().catch(() => null);
        const fields = data?.error?.details?.fields ?? {};
        setErrors(fields);
        setFormError(
          Object.keys(fields).length > 0 ? "Please correct the highlighted fields." : (data?.error?.message ?? "Could not create the account. Please try again."),
        );
        return;
      }
      const result = await signIn("credentials", { email: body.email, password: body.password, redirect: false });
      if (result?.error) {
        setFormError("Your account was created, but signing in failed. Please sign in.");
        router.push(callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin");
        return;
      }
      // Back to where the visitor was (a chosen slot) for students; coaches start on their dashboard.
      router.push(body.role === "COACH" ? "/coach" : (callbackUrl ?? "/"));
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  const zones = timeZones.includes(timeZone) ? timeZones : [timeZone, ...timeZones];
  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">I am a</legend>
        <div className="mt-2 grid grid-cols-2 gap-3">
          {[
            { value: "STUDENT", label: "Student", hint: "I want to book sessions" },
            { value: "COACH", label: "Coach", hint: "I offer sessions" },
          ].map((option) => (
            <label key={option.value} className="flex cursor-pointer flex-col rounded-lg border border-slate-300 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
              <span className="flex items-center gap-2 font-medium">
                <input type="radio" name="role" value={option.value} defaultChecked={option.value === "STUDENT"} />
                {option.label}
              </span>
              <span className="mt-1 text-slate-600">{option.hint}</span>
            </label>
          ))}
        </div>
        <FieldError id="role-error" message={errors.role} />
      </fieldset>
      <div>
        <label htmlFor="name" className="text-sm font-medium text-slate-700">Name</label>
        <input id="name" name="name" autoComplete="name" className={inputClass} aria-invalid={Boolean(errors.name)} aria-describedby="name-error" />
        <FieldError id="name-error" message={errors.name} />
      </div>
      <div>
        <label htmlFor="email" className="text-sm font-medium text-slate-700">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" className={inputClass} aria-invalid={Boolean(errors.email)} aria-describedby="email-error" />
        <FieldError id="email-error" message={errors.email} />
      </div>
      <div>
        <label htmlFor="password" className="text-sm font-medium text-slate-700">Password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" className={inputClass} aria-invalid={Boolean(errors.password)} aria-describedby="password-error" />
        <p className="mt-1 text-xs text-slate-600">At least 8 characters.</p>
        <FieldError id="password-error" message={errors.password} />
      </div>
      <div>
        <label htmlFor="timeZone" className="text-sm font-medium text-slate-700">Time zone</label>
        <select id="timeZone" name="timeZone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} className={inputClass} aria-invalid={Boolean(errors.timeZone)}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>{zone}</option>
          ))}
        </select>
        <p className="mt-1 text-xs text-slate-600">Detected from your browser; times are shown in this zone.</p>
        <FieldError id="timeZone-error" message={errors.timeZone} />
      </div>
      {formError ? (
        <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{formError}</p>
      ) : null}
      <button type="submit" disabled={pending} className={`${buttonClass} w-full`}>
        {pending ? "Creating account…" : "Create account"}
      </button>
    </form>
  );
}
