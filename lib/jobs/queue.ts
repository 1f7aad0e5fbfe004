import { db, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";

/**
 * A durable outbox in PostgreSQL for outbound calls that must happen (confirm in Cal.com, refund in Stripe...).
 * Jobs are enqueued in the same transaction as the state change that needs them, so they are never lost;
 * workers claim them with FOR UPDATE SKIP LOCKED, retry with exponential backoff, and park them as DEAD after
 * maxAttempts (visible for an operator) or at once on a PermanentJobError.
 */
export type Tx = Prisma.TransactionClient | Db;

export interface JobInput {
  kind: string;
  payload: Record<string, unknown>;
  /** One job per key: enqueueing the same key again is a no-op. */
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

export class PermanentJobError extends Error {}

export type JobHandler = (payload: Record<string, unknown>, meta: { id: string; attempts: number }) => Promise<void>;

export async function enqueue(tx: Tx, job: JobInput): Promise<void> {
  const data = {
    kind: job.kind,
    payload: job.payload as Prisma.InputJsonValue,
    dedupeKey: job.dedupeKey ?? null,
    runAt: job.runAt ?? new Date(),
    maxAttempts: job.maxAttempts ?? 10,
  };
  if (job.dedupeKey) {
    await tx.job.createMany({ data: [data], skipDuplicates: true });
  } else {
    await tx.job.create({ data });
  }
}

export function backoffMs(attempts: number): number {
  // 2 s, 4 s, 8 s ... capped at 10 minutes.
  return Math.min(2000 * 2 ** Math.max(0, attempts - 1), 10 * 60 * 1000);
}

interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

// Longer than the slowest job (a Cal.com confirm makes up to ~5 calls, each with timeouts and retries), so a
// healthy worker's job is never taken over by another worker.
const LEASE_SECONDS = 600;

/** Claims up to `limit` due jobs (and jobs whose worker died mid-run) and runs them. Returns how many ran. */
export async function runDueJobs(handlers: Record<string, JobHandler>, options: { limit?: number; kinds?: string[] } = {}): Promise<number> {
  const kinds = options.kinds ?? Object.keys(handlers);
  if (kinds.length === 0) return 0;
  const claimed = await db.$queryRaw<ClaimedJob[]>`
    UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), updated_at = now()
    WHERE id IN (
      SELECT id FROM jobs
      WHERE kind = ANY(${kinds}) AND ((status = 'PENDING' AND run_at <= now()) OR (status = 'RUNNING' AND locked_until < now()))
      ORDER BY run_at
      FOR UPDATE SKIP LOCKED
      LIMIT ${options.limit ?? 20}
    )
    RETURNING id, kind, payload, attempts, max_attempts`;
  for (const job of claimed) {
    const handler = handlers[job.kind];
    try {
      await handler(job.payload, { id: job.id, attempts: job.attempts });
      await db.job.update({ where: { id: job.id }, data: { status: "DONE", lockedUntil: null, lastError: null } });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const dead = error instanceof PermanentJobError || job.attempts >= job.max_attempts;
      await db.job.update({
        where: { id: job.id },
        data: dead
          ? { status: "DEAD", lockedUntil: null, lastError: message.slice(0, 2000) }
          : { status: "PENDING", lockedUntil: null, lastError: message.slice(0, 2000), runAt: new Date(Date.now() + backoffMs(job.attempts)) },
      });
      (dead ? log.error : log.warn)(dead ? "job failed permanently" : "job failed, will retry", { jobId: job.id, kind: job.kind, attempts: job.attempts, error: message });
    }
  }
  return claimed.length;
}

/** Runs due jobs until none is left (tests use it to settle). */
export async function drainJobs(handlers: Record<string, JobHandler>, maxRounds = 20): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    if ((await runDueJobs(handlers)) === 0) return;
  }
}
