"use client";

import { getSession, signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass, FieldError, inputClass } from "@/components/ui";

export function SignInForm({ callbackUrl }: { callbackUrl: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const missing = { email: email ? undefined : "Enter your email address.", password: password ? undefined : "Enter your password." };
    setFieldErrors(missing);
    setError(null);
    if (missing.email || missing.password) return;
    setPending(true);
    try {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (result?.status === 429 || result?.error === "RateLimited") {
        setError("Too many failed attempts. Wait a moment, then try again.");
        return;
      }
      if (result?.status === 503 || result?.error === "ServiceUnavailable") {
        setError("Signing in is not possible right now. Please try again in a few seconds.");
        return;
      }
      if (!result || result.error) {
        setError("Wrong email or password.");
        return;
      }
      const session = await getSession();
      const role = session?.user?.role;
      router.push(callbackUrl ?? (role === "COACH" ? "/coach" : role === "STUDENT" ? "/student/bookings" : "/"));
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <div>
        <label htmlFor="email" className="text-sm font-medium text-slate-700">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" className={inputClass} aria-invalid={Boolean(fieldErrors.email)} aria-describedby="email-error" />
        <FieldError id="email-error" message={fieldErrors.email} />
      </div>
      <div>
        <label htmlFor="password" className="text-sm font-medium text-slate-700">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" className={inputClass} aria-invalid={Boolean(fieldErrors.password)} aria-describedby="password-error" />
        <FieldError id="password-error" message={fieldErrors.password} />
      </div>
      {error ? <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p> : null}
      <button type="submit" disabled={pending} className={`${buttonClass} w-full`}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
