import type { Metadata } from "next";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money";
import { operationsOverview } from "@/lib/ops/overview";
import { OpsButton } from "./ops-button";

export const metadata: Metadata = { title: "Operations · Coachbook" };
export const dynamic = "force-dynamic";

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export default async function OperationsPage() {
  await requirePageUser(["ADMIN"], "/admin/operations");
  const ops = await operationsOverview();
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        title="Operations"
        description="Jobs that gave up or are stuck, what the reconciler found, refunds that failed and paid bookings missing from a coach's calendar."
        action={<OpsButton endpoint="/api/admin/reconcile" body={{}} label="Run reconciliation now" doneLabel="Queued" />}
      />
      <section aria-labelledby="queue-heading" className="mb-8">
        <h2 id="queue-heading" className="mb-3 text-lg font-semibold text-slate-900">Job queue</h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="queue-health">
          {[
            ["Due now", ops.queue.due],
            ["Running", ops.queue.running],
            ["Dead", ops.queue.dead],
            ["Oldest due", ops.queue.oldestDueSeconds === null ? "none" : `${ops.queue.oldestDueSeconds} s`],
          ].map(([label, value]) => (
            <Card key={String(label)} className="p-4">
              <dt className="text-sm text-slate-600">{label}</dt>
              <dd className="mt-1 text-xl font-semibold text-slate-900">{value}</dd>
            </Card>
          ))}
        </dl>
      </section>

      <section aria-labelledby="jobs-heading" className="mb-8">
        <h2 id="jobs-heading" className="mb-3 text-lg font-semibold text-slate-900">Dead and stuck jobs</h2>
        {ops.jobs.length === 0 ? (
          <EmptyState title="No dead or stuck jobs." />
        ) : (
          <ul className="space-y-3" data-testid="ops-jobs">
            {ops.jobs.map((job) => (
              <li key={job.id}>
                <Card className="p-4">
                  <div className="flex flex-wrap items-start justify-between gap-3">
                    <div className="min-w-0">
                      <p className="font-medium text-slate-900">
                        {job.kind} <span className="ml-2 rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{job.status}</span>
                      </p>
                      <p className="mt-1 text-sm text-slate-700">
                        {job.attempts} of {job.maxAttempts} attempts · {job.cause ? `why: ${job.cause} · ` : ""}last change {utc(job.updatedAt)}
                      </p>
                      {job.lastError ? <p className="mt-1 break-words text-sm text-red-700">{job.lastError}</p> : null}
                    </div>
                    {job.status === "DEAD" ? <OpsButton endpoint="/api/admin/jobs/retry" body={{ jobId: job.id }} label="Retry" doneLabel="Queued again" /> : null}
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="findings-heading" className="mb-8">
        <h2 id="findings-heading" className="mb-3 text-lg font-semibold text-slate-900">Reconciliation findings</h2>
        {ops.findings.length === 0 ? (
          <EmptyState title="Nothing found." />
        ) : (
          <ul className="space-y-3" data-testid="ops-findings">
            {ops.findings.map((f) => (
              <li key={f.id}>
                <Card className="p-4">
                  <div className="flex flex-wrap items-start justify-between gap-3">
                    <div className="min-w-0">
                      <p className="font-medium text-slate-900">
                        {f.kind} {f.fixed ? <span className="ml-2 rounded bg-emerald-50 px-2 py-0.5 text-xs text-emerald-800">fixed by the app</span> : <span className="ml-2 rounded bg-amber-50 px-2 py-0.5 text-xs text-amber-900">needs a person</span>}
                      </p>
                      <p className="mt-1 break-words text-sm text-slate-700">{f.detail}</p>
                      <p className="mt-1 text-xs text-slate-600">{f.bookingId ? `booking ${f.bookingId} · ` : ""}{utc(f.createdAt)}</p>
                    </div>
                    <OpsButton endpoint="/api/admin/findings/resolve" body={{ findingId: f.id }} label="Mark resolved" doneLabel="Resolved" />
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="refunds-heading" className="mb-8">
        <h2 id="refunds-heading" className="mb-3 text-lg font-semibold text-slate-900">Failed refunds</h2>
        {ops.failedRefunds.length === 0 ? (
          <EmptyState title="No failed refunds." />
        ) : (
          <ul className="space-y-2" data-testid="ops-failed-refunds">
            {ops.failedRefunds.map((r) => (
              <li key={r.id} className="text-sm text-slate-800">
                {formatMoney(r.amountMinor, r.currency)} for booking {r.bookingId} ({r.reason}): {r.failureReason ?? "failed"}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="calendar-heading">
        <h2 id="calendar-heading" className="mb-3 text-lg font-semibold text-slate-900">Paid but not on the coach&apos;s calendar</h2>
        {ops.offCalendar.length === 0 ? (
          <EmptyState title="Every paid booking is on its coach's calendar." />
        ) : (
          <ul className="space-y-2" data-testid="ops-off-calendar">
            {ops.offCalendar.map((b) => (
              <li key={b.id} className="text-sm text-slate-800">
                {b.title} on {utc(b.startsAt)}: Cal.com says {b.calcomStatus ?? "nothing yet"}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
