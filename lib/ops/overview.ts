import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { enqueue, retryDeadJob } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { resolveFinding } from "./findings";

/** A job is "stuck" when it is due but has waited this long, or runs past its lease. */
const STUCK_AFTER_SECONDS = 300;

export interface QueueHealth {
  due: number;
  running: number;
  dead: number;
  oldestDueSeconds: number | null;
}

/**
 * Queue depth on the database's clock (GET /api/health and the operations page). Each figure is its own index read
 * on (status, run_at): jobs scheduled for later (two reminders for every upcoming booking, hold and session
 * follow-ups) are never visited, so the health check's cost does not grow with the bookings ahead (it used to count
 * every PENDING job: tests/integration/ops-reads.test.ts).
 */
export async function queueHealth(): Promise<QueueHealth> {
  const [row] = await db.$queryRawUnsafe<{ due: bigint; running: bigint; dead: bigint; oldest: number | null }[]>(QUEUE_HEALTH_SQL);
  return { due: Number(row.due), running: Number(row.running), dead: Number(row.dead), oldestDueSeconds: row.oldest === null ? null : Math.round(row.oldest) };
}

export const QUEUE_HEALTH_SQL = `
  SELECT (SELECT count(*) FROM jobs WHERE status = 'PENDING' AND run_at <= now()) AS due,
         (SELECT count(*) FROM jobs WHERE status = 'RUNNING') AS running,
         (SELECT count(*) FROM jobs WHERE status = 'DEAD') AS dead,
         EXTRACT(EPOCH FROM now() - (SELECT min(run_at) FROM jobs WHERE status = 'PENDING' AND run_at <= now()))::float8 AS oldest`;

export async function operationsOverview() {
  const queue = await queueHealth();
  const jobs = await db.$queryRawUnsafe<{ id: string; kind: string; status: string; attempts: number; max_attempts: number; last_error: string | null; cause: string | null; run_at: Date; updated_at: Date }[]>(
    JOBS_NEEDING_ATTENTION_SQL,
    STUCK_AFTER_SECONDS,
  );
  const findings = await db.opsFinding.findMany({ where: { resolvedAt: null }, orderBy: { createdAt: "desc" }, take: 100 });
  const failedRefunds = await db.refund.findMany({
    where: { status: { in: ["failed", "canceled"] } },
    include: { payment: { select: { bookingId: true } } },
    orderBy: { updatedAt: "desc" },
    take: 50,
  });
  const offCalendar = await db.$queryRaw<{ id: string; title: string; starts_at: Date; calcom_status: string | null }[]>`
    SELECT b.id, b.title, b.starts_at, b.calcom_status FROM bookings b JOIN offerings o ON o.id = b.offering_id
    WHERE b.status = 'CONFIRMED' AND b.starts_at > now() AND o.calcom_event_type_id IS NOT NULL AND b.calcom_status IS DISTINCT FROM 'accepted'
    ORDER BY b.starts_at LIMIT 50`;
  return {
    queue,
    jobs: jobs.map((j) => ({ id: j.id, kind: j.kind, status: j.status, attempts: j.attempts, maxAttempts: j.max_attempts, lastError: j.last_error, cause: j.cause, runAt: j.run_at.toISOString(), updatedAt: j.updated_at.toISOString() })),
    findings: findings.map((f) => ({ id: f.id, kind: f.kind, subject: f.subject, bookingId: f.bookingId, detail: f.detail, fixed: f.fixed, createdAt: f.createdAt.toISOString() })),
    failedRefunds: failedRefunds.map((r) => ({ id: r.id, bookingId: r.payment.bookingId, amountMinor: r.amountMinor, currency: r.currency, reason: r.reason, failureReason: r.failureReason, updatedAt: r.updatedAt.toISOString() })),
    offCalendar: offCalendar.map((b) => ({ id: b.id, title: b.title, startsAt: b.starts_at.toISOString(), calcomStatus: b.calcom_status })),
  };
}

/** $1 seconds after which a due job counts as stuck. Dead, stuck and lease-expired jobs, newest first. */
export const JOBS_NEEDING_ATTENTION_SQL = `
  SELECT id, kind, status::text AS status, attempts, max_attempts, last_error, cause, run_at, updated_at FROM jobs
  WHERE status = 'DEAD'
     OR (status = 'PENDING' AND run_at < now() - make_interval(secs => $1::int))
     OR (status = 'RUNNING' AND locked_until < now())
  ORDER BY updated_at DESC LIMIT 100`;

export type OperationsOverview = Awaited<ReturnType<typeof operationsOverview>>;

export async function retryJob(jobId: string) {
  if (!(await retryDeadJob(jobId))) throw new AppError("NOT_FOUND", "No dead job with that id (it may have been retried already).");
  return { jobId, status: "PENDING" as const };
}

export async function resolveOpsFinding(findingId: string) {
  if (!(await resolveFinding(findingId))) throw new AppError("NOT_FOUND", "No open finding with that id.");
  return { findingId, resolved: true };
}

/** Queues a reconciliation now (the worker picks it up within seconds). */
export async function requestReconciliation() {
  const key = `reconcile:manual:${Math.floor(Date.now() / 10_000)}`;
  await enqueue(db, { kind: JOB.reconcile, payload: { trigger: "operator" }, dedupeKey: key, cause: "operator asked", maxAttempts: 3 });
  return { queued: true };
}
