"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

function left(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

/**
 * "Held until 04:59 (Europe/London) · 9:41 left": the end of the hold in the student's zone and a live countdown;
 * at zero the page reloads so it shows what the server decided (released, or paid at the last second).
 */
export function HoldCountdown({ expiresAt, label, timeZone }: { expiresAt: string; label: string; timeZone: string }) {
  const router = useRouter();
  const end = new Date(expiresAt).getTime();
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const expired = now !== null && now >= end;
  useEffect(() => {
    if (expired) router.refresh();
  }, [expired, router]);
  return (
    <span data-testid="hold-countdown">
      Your slot is held until <time dateTime={expiresAt}>{label}</time> ({timeZone})
      {now === null ? "" : expired ? " · the hold has ended" : <> · <span className="tabular-nums" data-testid="hold-left">{left(end - now)}</span> left</>}.
    </span>
  );
}
