import { calcomNeedsSync } from "@/lib/coaches/availability-service";
import { db } from "@/lib/db/client";
import { calcomMode } from "@/lib/env";
import { formatInZone } from "@/lib/time/format";
import { SyncButton } from "./sync-button";

/**
 * Cal.com sync status of a coach's schedule (server component) with the "Sync with Cal.com" button
 * (POST /api/calcom/sync-availability), disabled with an explanation when Cal.com is not configured.
 */
export async function CalcomSyncPanel({ coachId }: { coachId: string }) {
  const coach = await db.coachProfile.findUnique({ where: { id: coachId }, select: { timeZone: true, updatedAt: true, calcom: true } });
  if (!coach) return null;
  const account = coach.calcom;
  let configured = true;
  try {
    configured = calcomMode().kind !== "none";
  } catch {
    configured = false;
  }
  const at = (date: Date) => formatInZone(date, coach.timeZone, { weekday: undefined, year: undefined });

  let tone: "slate" | "amber" | "emerald" | "red" | "brand";
  let label: string;
  let detail: string;
  if (!account) {
    tone = "slate";
    label = configured ? "Not connected" : "Not configured";
    detail = configured
      ? "Your Coachbook calendar is not linked to Cal.com yet. Bookings still work from your availability here."
      : "Cal.com is not set up for this Coachbook installation. Bookings use your availability here.";
  } else if (account.syncStatus === "NEVER") {
    tone = "slate";
    label = "Never synced";
    detail = "Your Cal.com account exists, but your availability has not been sent to it yet.";
  } else if (account.syncStatus === "SYNCING") {
    tone = "brand";
    label = "Syncing…";
    detail = account.syncStartedAt ? `Started ${at(account.syncStartedAt)}.` : "A sync is in progress.";
  } else if (account.syncStatus === "SYNCED") {
    const stale = calcomNeedsSync(coach.updatedAt, account);
    tone = stale ? "amber" : "emerald";
    label = account.syncedAt ? `Synced ${at(account.syncedAt)}` : "Synced";
    detail = stale ? "You changed your availability since then; Cal.com still has the previous hours." : "Cal.com has your current availability.";
  } else {
    tone = "red";
    label = "Sync failed";
    detail = account.syncError ? `Cal.com answered: ${account.syncError}` : "The last sync did not complete.";
  }

  const dot = { slate: "bg-slate-400", amber: "bg-amber-500", emerald: "bg-emerald-500", red: "bg-red-500", brand: "bg-brand-500 animate-pulse" }[tone];
  return (
    <section aria-labelledby="calcom-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="calcom-sync-panel">
      <h2 id="calcom-heading" className="text-base font-semibold text-slate-900">
        Cal.com calendar
      </h2>
      <p className="mt-3 flex items-center gap-2 text-sm font-medium text-slate-800" data-testid="calcom-sync-status">
        <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${dot}`} />
        {label}
      </p>
      <p className="mt-1 text-sm text-slate-600">{detail}</p>
      <SyncButton configured={configured} failed={account?.syncStatus === "FAILED"} />
    </section>
  );
}
