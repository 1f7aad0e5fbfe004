import { randomUUID } from "node:crypto";
import type { ZodType } from "zod";
import { db, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";

/**
 * A durable job queue in PostgreSQL for outbound calls that must happen (confirm in Cal.com, refund in Stripe,
 * mail). We keep our own small runner instead of graphile-worker or pg-boss because jobs must be enqueued with
 * Prisma's transaction client in the same transaction as the change that causes them (both libraries enqueue
 * through their own pg connection or a raw-SQL function outside Prisma's transaction), and because the rules
 * below are few and tested (tests/integration/jobs*.test.ts):
 * - each job is claimed alone, with its own lease and a random lease token (`locked_by`);
 * - a running job's lease is extended by heartbeats, so a slow job is never taken over by another worker;
 * - completion, failure and heartbeats are fenced by the token: a worker that lost its lease changes nothing;
 * - a lease that runs out (the process died) returns the job to the queue, or to DEAD once its attempts are used
 *   up, so a job that crashes the process cannot loop forever;
 * - every time is PostgreSQL's `now()`, never the host's clock;
 * - DEAD jobs stay visible (with their last error) until an operator retries them.
 */
export type Tx = Prisma.TransactionClient | Db;

export interface JobInput {
  kind: string;
  payload: Record<string, unknown>;
  /** One job per key: enqueueing the same key again is a no-op. */
  dedupeKey?: string;
  /** An absolute due time (for times that mean something, e.g. a reminder 24 h before a session). */
  runAt?: Date;
  /** A delay from now, measured on the database's clock. */
  delayMs?: number;
  maxAttempts?: number;
  /** Why this job exists (provenance for operators), e.g. "hold expired", "student cancelled". */
  cause?: string;
}

/** An error that retrying cannot fix: the job goes DEAD at once. */
export class PermanentJobError extends Error {}

export type JobMeta = { id: string; attempts: number; signal: AbortSignal };
export type JobHandler = (payload: Record<string, unknown>, meta: JobMeta) => Promise<void>;

/** A handler whose payload is checked with zod first: a malformed payload is a permanent failure, not a retry loop. */
export function defineJob<T>(schema: ZodType<T>, run: (payload: T, meta: JobMeta) => Promise<void>): JobHandler {
  return async (payload, meta) => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError(`invalid job payload: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    await run(parsed.data, meta);
  };
}

export async function enqueue(tx: Tx, job: JobInput): Promise<void> {
  const delaySeconds = Math.max(0, (job.delayMs ?? 0) / 1000);
  const runAt = job.runAt ?? null;
  // Raw SQL so the due time comes from the database's clock (now() + delay) unless an absolute time is given.
  await tx.$executeRaw`
    INSERT INTO jobs (id, kind, payload, dedupe_key, status, attempts, max_attempts, run_at, cause, created_at, updated_at)
    VALUES (${randomUUID()}, ${job.kind}, ${JSON.stringify(job.payload)}::jsonb, ${job.dedupeKey ?? null}, 'PENDING', 0, ${job.maxAttempts ?? 10},
            COALESCE(${runAt}::timestamptz, now() + make_interval(secs => ${delaySeconds})), ${job.cause ?? null}, now(), now())
    ON CONFLICT (dedupe_key) DO NOTHING`;
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

/** Lease per job; heartbeats renew it every third of it. Short, so a killed process's jobs come back quickly. */
export function leaseSeconds(): number {
  const value = Number(process.env.JOB_LEASE_SECONDS ?? 60);
  return Number.isFinite(value) && value >= 1 ? value : 60;
}

/** Returns jobs whose lease ran out (their worker died or hung) to the queue, or to DEAD when out of attempts. */
export async function recoverExpiredLeases(): Promise<number> {
  return db.$executeRaw`
    UPDATE jobs SET
      status = (CASE WHEN attempts >= max_attempts THEN 'DEAD' ELSE 'PENDING' END)::"JobStatus",
      finished_at = CASE WHEN attempts >= max_attempts THEN now() ELSE NULL END,
      locked_by = NULL, locked_until = NULL, run_at = now(), updated_at = now(),
      last_error = 'The worker running this job stopped (lease expired) after attempt ' || attempts || '.'
    WHERE status = 'RUNNING' AND locked_until < now()`;
}

async function claimOne(kinds: string[], token: string): Promise<ClaimedJob | null> {
  const rows = await db.$queryRawUnsafe<ClaimedJob[]>(CLAIM_JOB_SQL, token, leaseSeconds(), kinds);
  return rows[0] ?? null;
}

/**
 * $1 lease token, $2 lease seconds, $3 the lane's kinds. The earliest due job of those kinds, skipping rows another
 * worker has locked. It reads the (status, run_at) index from PENDING's due end only, so finished jobs (kept 14
 * days) and jobs scheduled for later are never visited (tests/integration/ops-reads.test.ts).
 */
export const CLAIM_JOB_SQL = `
  UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, locked_by = $1::text,
    locked_until = now() + make_interval(secs => $2::float8), updated_at = now()
  WHERE id = (
    SELECT id FROM jobs
    WHERE kind = ANY($3::text[]) AND status = 'PENDING' AND run_at <= now()
    ORDER BY run_at
    FOR UPDATE SKIP LOCKED
    LIMIT 1
  )
  RETURNING id, kind, payload, attempts, max_attempts`;

async function heartbeat(id: string, token: string): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE jobs SET locked_until = now() + make_interval(secs => ${leaseSeconds()}), updated_at = now()
    WHERE id = ${id} AND locked_by = ${token} AND status = 'RUNNING'`;
  return updated === 1;
}

async function finish(job: ClaimedJob, token: string, error: unknown): Promise<void> {
  if (error === undefined) {
    const done = await db.$executeRaw`
      UPDATE jobs SET status = 'DONE', locked_by = NULL, locked_until = NULL, last_error = NULL, finished_at = now(), updated_at = now()
      WHERE id = ${job.id} AND locked_by = ${token} AND status = 'RUNNING'`;
    if (done === 0) log.warn("job finished after losing its lease; result not recorded", { jobId: job.id, kind: job.kind });
    return;
  }
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  const dead = error instanceof PermanentJobError || job.attempts >= job.max_attempts;
  const delaySeconds = backoffMs(job.attempts) / 1000;
  const updated = dead
    ? await db.$executeRaw`
        UPDATE jobs SET status = 'DEAD', locked_by = NULL, locked_until = NULL, last_error = ${message}, finished_at = now(), updated_at = now()
        WHERE id = ${job.id} AND locked_by = ${token} AND status = 'RUNNING'`
    : await db.$executeRaw`
        UPDATE jobs SET status = 'PENDING', locked_by = NULL, locked_until = NULL, last_error = ${message},
          run_at = now() + make_interval(secs => ${delaySeconds}), updated_at = now()
        WHERE id = ${job.id} AND locked_by = ${token} AND status = 'RUNNING'`;
  if (updated === 0) return log.warn("job failed after losing its lease; result not recorded", { jobId: job.id, kind: job.kind, error: message });
  (dead ? log.error : log.warn)(dead ? "job failed permanently" : "job failed, will retry", { jobId: job.id, kind: job.kind, attempts: job.attempts, error: message });
}

async function runClaimed(job: ClaimedJob, token: string, handlers: Record<string, JobHandler>): Promise<void> {
  const controller = new AbortController();
  const beat = setInterval(() => {
    heartbeat(job.id, token)
      .then((held) => {
        if (!held) controller.abort(new Error("lease lost"));
      })
      .catch((error) => log.warn("job heartbeat failed", { jobId: job.id, error }));
  }, (leaseSeconds() * 1000) / 3);
  beat.unref?.();
  let failure: unknown = undefined;
  try {
    const handler = handlers[job.kind];
    if (!handler) throw new PermanentJobError(`no handler for job kind ${job.kind}`);
    await handler(job.payload, { id: job.id, attempts: job.attempts, signal: controller.signal });
  } catch (error) {
    failure = error ?? new Error("job failed");
  } finally {
    clearInterval(beat);
  }
  await finish(job, token, failure);
}

/**
 * Claims due jobs one at a time (each with its own lease) and runs up to `concurrency` of them at once, until
 * `limit` have been claimed or none is due. Returns how many ran.
 */
export async function runDueJobs(
  handlers: Record<string, JobHandler>,
  options: { limit?: number; kinds?: string[]; concurrency?: number; workerId?: string } = {},
): Promise<number> {
  const kinds = options.kinds ?? Object.keys(handlers);
  if (kinds.length === 0) return 0;
  await recoverExpiredLeases();
  const limit = options.limit ?? 20;
  const workerId = options.workerId ?? "worker";
  let claimed = 0;
  let exhausted = false;
  const lane = async () => {
    while (!exhausted && claimed < limit) {
      const token = `${workerId}:${randomUUID()}`;
      claimed++;
      const job = await claimOne(kinds, token);
      if (!job) {
        claimed--;
        exhausted = true;
        return;
      }
      await runClaimed(job, token, handlers);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, lane));
  return claimed;
}

/** Runs due jobs until none is left (tests use it to settle). */
export async function drainJobs(handlers: Record<string, JobHandler>, maxRounds = 20): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    if ((await runDueJobs(handlers)) === 0) return;
  }
}

/** An operator's retry of a DEAD job: it runs again soon with a fresh set of attempts. */
export async function retryDeadJob(id: string): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE jobs SET status = 'PENDING', attempts = 0, run_at = now(), finished_at = NULL, locked_by = NULL, locked_until = NULL, updated_at = now()
    WHERE id = ${id} AND status = 'DEAD'`;
  return updated === 1;
}

/**
 * Deletes finished jobs and webhook event records after their retention period, so the tables do not grow forever.
 * Webhook records are kept well past Stripe's 3-day redelivery window (a redelivery after pruning would be applied
 * again, so the retention must outlast every provider's retries). DEAD jobs are kept until an operator acts.
 */
export async function pruneOldRecords(options: { jobDays?: number; webhookDays?: number } = {}) {
  const jobDays = options.jobDays ?? Number(process.env.JOB_RETENTION_DAYS ?? 14);
  const webhookDays = options.webhookDays ?? Number(process.env.WEBHOOK_RETENTION_DAYS ?? 30);
  const jobs = await db.$executeRaw`DELETE FROM jobs WHERE status = 'DONE' AND finished_at < now() - make_interval(days => ${jobDays})`;
  const events = await db.$executeRaw`DELETE FROM webhook_events WHERE received_at < now() - make_interval(days => ${webhookDays})`;
  return { jobs, events };
}
