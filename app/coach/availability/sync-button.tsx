"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Runs a sync and refreshes the status panel; a failure shows Cal.com's reason and offers a retry. */
export function SyncButton({ configured, failed }: { configured: boolean; failed: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function sync() {
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/calcom/sync-availability", { method: "POST" });
      if (!response.ok) {
        const data = await response.json().catch(() => null);
        setError(data?.error?.message ?? "The sync did not complete. Please try again.");
      }
    } catch {
      setError("Could not reach the server. Please try again.");
    } finally {
      setPending(false);
      router.refresh();
    }
  }

  return (
    <>
      <button
        type="button"
        onClick={() => void sync()}
        disabled={!configured || pending}
        aria-describedby="calcom-sync-note"
        data-testid="calcom-sync-button"
        className="mt-4 inline-flex w-full items-center justify-center rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600"
      >
        {pending ? "Syncing…" : failed ? "Retry sync" : "Sync with Cal.com"}
      </button>
      {error ? (
        <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="calcom-sync-error">
          {error}
        </p>
      ) : null}
      <p id="calcom-sync-note" className="mt-2 text-xs text-slate-600">
        {configured
          ? "Sends your hours, buffers, notice and sessions to your Cal.com calendar. Saving above always updates Coachbook itself."
          : "Cal.com is not configured on this server (see CALCOM_SETUP.md), so there is nothing to sync with. Bookings use your availability here."}
      </p>
    </>
  );
}
