"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { buttonClass, FieldError, inputClass } from "@/components/ui";
import { refreshCurrentUser } from "@/components/layout/current-user";

type Fields = Partial<Record<"name" | "timeZone" | "currentPassword" | "newPassword", string>>;

export function ProfileForm({ name, timeZone, timeZones }: { name: string; timeZone: string; timeZones: string[] }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Fields>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  // Read after hydration: the server renders in its own zone, not the browser's.
  const [browserZone, setBrowserZone] = useState<string | undefined>();
  useEffect(() => setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body: Record<string, string> = { name: String(data.get("name") ?? ""), timeZone: String(data.get("timeZone") ?? "") };
    const newPassword = String(data.get("newPassword") ?? "");
    if (newPassword) {
      body.newPassword = newPassword;
      body.currentPassword = String(data.get("currentPassword") ?? "");
    }
    setPending(true);
    setErrors({});
    setMessage(null);
    try {
      const response = await fetch("/api/profile", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const result = await response.json().catch(() => null);
      if (!response.ok) {
        setErrors(result?.error?.details?.fields ?? {});
        setMessage({ kind: "error", text: result?.error?.message ?? "Could not save your profile. Please try again." });
        return;
      }
      (form.elements.namedItem("currentPassword") as HTMLInputElement).value = "";
      (form.elements.namedItem("newPassword") as HTMLInputElement).value = "";
      setMessage({ kind: "ok", text: newPassword ? "Saved. Your password has been changed." : "Saved." });
      router.refresh();
      // The header shows the name and the footer the zone: ask again (the path does not change).
      refreshCurrentUser();
    } finally {
      setPending(false);
    }
  }

  const zones = timeZones.includes(timeZone) ? timeZones : [timeZone, ...timeZones];
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="profile-form">
      <div>
        <label htmlFor="name" className="text-sm font-medium text-slate-700">Name</label>
        <input id="name" name="name" defaultValue={name} autoComplete="name" className={inputClass} aria-invalid={Boolean(errors.name)} aria-describedby="name-error" />
        <FieldError id="name-error" message={errors.name} />
      </div>
      <div>
        <label htmlFor="timeZone" className="text-sm font-medium text-slate-700">Time zone</label>
        <select id="timeZone" name="timeZone" defaultValue={timeZone} className={inputClass} aria-invalid={Boolean(errors.timeZone)} aria-describedby="timeZone-hint timeZone-error">
          {zones.map((zone) => (
            <option key={zone} value={zone}>{zone}</option>
          ))}
        </select>
        <p id="timeZone-hint" className="mt-1 text-xs text-slate-600">
          Times on Coachbook are shown in this zone.{browserZone && browserZone !== timeZone ? ` This browser is in ${browserZone}.` : ""}
        </p>
        <FieldError id="timeZone-error" message={errors.timeZone} />
      </div>
      <fieldset className="space-y-4 border-t border-slate-200 pt-5">
        <legend className="text-sm font-semibold text-slate-800">Change password <span className="font-normal text-slate-600">(optional)</span></legend>
        <div>
          <label htmlFor="currentPassword" className="text-sm font-medium text-slate-700">Current password</label>
          <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" className={inputClass} aria-invalid={Boolean(errors.currentPassword)} aria-describedby="currentPassword-error" />
          <FieldError id="currentPassword-error" message={errors.currentPassword} />
        </div>
        <div>
          <label htmlFor="newPassword" className="text-sm font-medium text-slate-700">New password</label>
          <input id="newPassword" name="newPassword" type="password" autoComplete="new-password" className={inputClass} aria-invalid={Boolean(errors.newPassword)} aria-describedby="newPassword-error" />
          <FieldError id="newPassword-error" message={errors.newPassword} />
        </div>
      </fieldset>
      {message ? (
        <p role={message.kind === "error" ? "alert" : "status"} data-testid="profile-message" className={`rounded-md px-3 py-2 text-sm ${message.kind === "error" ? "bg-red-50 text-red-700" : "bg-emerald-50 text-emerald-800"}`}>
          {message.text}
        </p>
      ) : null}
      <button type="submit" disabled={pending} className={buttonClass}>{pending ? "Saving…" : "Save"}</button>
    </form>
  );
}
