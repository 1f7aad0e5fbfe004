"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/ui";

/** One operator action (retry a job, resolve a finding, reconcile now): POSTs JSON, then refreshes the page. */
export function OpsButton({ endpoint, body, label, doneLabel }: { endpoint: string; body: Record<string, string>; label: string; doneLabel: string }) {
  const router = useRouter();
  const [state, setState] = useState<"idle" | "busy" | "done">("idle");
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setState("busy");
    setError(null);
    const response = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => null);
    if (!response?.ok) {
      const message = await response?.json().then((j: { error?: { message?: string } }) => j.error?.message).catch(() => null);
      setError(message ?? "That did not work. Please try again.");
      setState("idle");
      return;
    }
    setState("done");
    router.refresh();
  }
  return (
    <div className="flex flex-col items-end">
      <button type="button" className={buttonClass} onClick={run} disabled={state !== "idle"}>
        {state === "done" ? doneLabel : state === "busy" ? "Working…" : label}
      </button>
      {error ? <p role="alert" className="mt-1 text-sm text-red-700">{error}</p> : null}
    </div>
  );
}
