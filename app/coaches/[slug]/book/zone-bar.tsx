"use client";

import { useState } from "react";

interface Props {
  timeZone: string;
  browserZone: string | null;
  /** The signed-in student's saved zone (null for visitors and coaches). */
  profileZone: string | null;
  timeZones: string[];
  onChange: (zone: string) => void;
}

/**
 * The zone the times are shown in, changeable right here. When it differs from the student's saved zone, offers
 * to save it (PATCH /api/profile) or to switch back.
 */
export function ZoneBar({ timeZone, browserZone, profileZone, timeZones, onChange }: Props) {
  const [saved, setSaved] = useState<string | null>(profileZone);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const zones = timeZones.includes(timeZone) ? timeZones : [timeZone, ...timeZones];

  async function save() {
    setSaving(true);
    setMessage(null);
    try {
      const response = await fetch("/api/profile", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ timeZone }) });
      const data = await response.json().catch(() => null);
      if (!response.ok) {
        setMessage(data?.error?.message ?? "Could not save the time zone.");
        return;
      }
      setSaved(data.profile.timeZone);
      setMessage(`Saved: ${data.profile.timeZone} is now your time zone.`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="rounded-xl border border-slate-200 bg-white p-3 text-sm" data-testid="zone-bar">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="picker-zone" className="font-medium text-slate-700">Times shown in</label>
        <select id="picker-zone" value={timeZone} onChange={(e) => onChange(e.target.value)} className="min-w-0 max-w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm" data-testid="picker-zone">
          {zones.map((zone) => (
            <option key={zone} value={zone}>{zone}</option>
          ))}
        </select>
        {browserZone && browserZone !== timeZone ? (
          <button type="button" className="text-sm font-medium text-brand-700 underline" onClick={() => onChange(browserZone)}>
            Use this device&apos;s zone ({browserZone})
          </button>
        ) : null}
      </div>
      {saved && saved !== timeZone ? (
        <p className="mt-2 text-slate-700" data-testid="zone-differs">
          Your profile&apos;s time zone is {saved}.{" "}
          <button type="button" disabled={saving} onClick={() => void save()} className="font-medium text-brand-700 underline" data-testid="save-zone">
            Save {timeZone} to my profile
          </button>{" "}
          or{" "}
          <button type="button" onClick={() => onChange(saved)} className="font-medium text-brand-700 underline" data-testid="use-profile-zone">
            show {saved}
          </button>
          .
        </p>
      ) : null}
      {message ? <p role="status" className="mt-2 text-emerald-800" data-testid="zone-saved">{message}</p> : null}
    </div>
  );
}
