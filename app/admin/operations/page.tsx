import type { Metadata } from "next";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money";
import { operationsOverview } from "@/lib/ops/overview";
import { OpsButton } from "./ops-button";

export const metadata: Metadata = { title: "Operations · Coachbook" };
export const dynamic = "force-dynamic";

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** One titled list of the page; an empty list says so in words. */
function Section<T>({ id, title, empty, items, render }: { id: string; title: string; empty: string; items: T[]; render: (item: T) => React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="mb-8">
      <h2 id={`${id}-heading`} className="mb-3 text-lg font-semibold text-slate-900">{title}</h2>
      {items.length === 0 ? <EmptyState title={empty} /> : <ul className="space-y-3" data-testid={`ops-${id}`}>{items.map(render)}</ul>}
    </section>
  );
}

/** A card with what happened on the left and the operator's action on the right. */
function Item({ id, title, children, action }: { id: string; title: React.ReactNode; children: React.ReactNode; action?: React.ReactNode }) {
  return (
    <li key={id}>
      <Card className="p-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="font-medium text-slate-900">{title}</p>
            {children}
          </div>
          {action}
        </div>
      </Card>
    </li>
  );
}

const tag = (text: string, tone: "neutral" | "good" | "warn") =>
  <span className={`ml-2 rounded px-2 py-0.5 text-xs ${tone === "good" ? "bg-emerald-50 text-emerald-800" : tone === "warn" ? "bg-amber-50 text-amber-900" : "bg-slate-100 text-slate-700"}`}>{text}</span>;

export default async function OperationsPage() {
  await requirePageUser(["ADMIN"], "/admin/operations");
  const ops = await operationsOverview();
  const queue: [string, string | number][] = [
    ["Due now", ops.queue.due],
    ["Running", ops.queue.running],
    ["Dead", ops.queue.dead],
    ["Oldest due", ops.queue.oldestDueSeconds === null ? "none" : `${ops.queue.oldestDueSeconds} s`],
  ];
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
          {queue.map(([label, value]) => (
            <Card key={label} className="p-4">
              <dt className="text-sm text-slate-600">{label}</dt>
              <dd className="mt-1 text-xl font-semibold text-slate-900">{value}</dd>
            </Card>
          ))}
        </dl>
      </section>

      <Section id="jobs" title="Dead and stuck jobs" empty="No dead or stuck jobs." items={ops.jobs} render={(job) => (
        <Item key={job.id} id={job.id} title={<>{job.kind}{tag(job.status, "neutral")}</>}
          action={job.status === "DEAD" ? <OpsButton endpoint="/api/admin/jobs/retry" body={{ jobId: job.id }} label="Retry" doneLabel="Queued again" /> : null}>
          <p className="mt-1 text-sm text-slate-700">{job.attempts} of {job.maxAttempts} attempts · {job.cause ? `why: ${job.cause} · ` : ""}last change {utc(job.updatedAt)}</p>
          {job.lastError ? <p className="mt-1 break-words text-sm text-red-700">{job.lastError}</p> : null}
        </Item>
      )} />

      <Section id="findings" title="Reconciliation findings" empty="Nothing found." items={ops.findings} render={(f) => (
        <Item key={f.id} id={f.id} title={<>{f.kind}{f.fixed ? tag("fixed by the app", "good") : tag("needs a person", "warn")}</>}
          action={<OpsButton endpoint="/api/admin/findings/resolve" body={{ findingId: f.id }} label="Mark resolved" doneLabel="Resolved" />}>
          <p className="mt-1 break-words text-sm text-slate-700">{f.detail}</p>
          <p className="mt-1 text-xs text-slate-600">{f.bookingId ? `booking ${f.bookingId} · ` : ""}{utc(f.createdAt)}</p>
        </Item>
      )} />

      <Section id="failed-refunds" title="Failed refunds" empty="No failed refunds." items={ops.failedRefunds} render={(r) => (
        <Item key={r.id} id={r.id} title={`${formatMoney(r.amountMinor, r.currency)} (${r.reason})`}>
          <p className="mt-1 break-words text-sm text-slate-700">Booking {r.bookingId}: {r.failureReason ?? "failed"} · {utc(r.updatedAt)}</p>
        </Item>
      )} />

      <Section id="off-calendar" title="Paid but not on the coach's calendar" empty="Every paid booking is on its coach's calendar." items={ops.offCalendar} render={(b) => (
        <Item key={b.id} id={b.id} title={`${b.title} on ${utc(b.startsAt)}`}>
          <p className="mt-1 text-sm text-slate-700">Cal.com says {b.calcomStatus ?? "nothing yet"}.</p>
        </Item>
      )} />
    </div>
  );
}
