import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { CLAIM_JOB_SQL } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { JOBS_NEEDING_ATTENTION_SQL, QUEUE_HEALTH_SQL, queueHealth } from "@/lib/ops/overview";

/**
 * The job queue's frequent reads must not grow with the jobs that do not concern them. The queue keeps finished
 * jobs for 14 days (pruneOldRecords) and holds a job for every future reminder (two per upcoming booking) and
 * follow-up. The worker claims every second in each lane, and load balancers call GET /api/health every few
 * seconds; the health read used to count every PENDING job, scheduled or not (72 buffers with 5,000 jobs scheduled
 * ahead, 276 with 20,000; now 12 and 14). Here each read's buffers with some history and with four times more.
 */
let batch = 0;

/** `done` finished jobs (last two weeks), `scheduled` reminders due days ahead, a few dead jobs, and findings. */
async function addJobs(done: number, scheduled: number) {
  batch++;
  await db.$executeRawUnsafe(
    `INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, finished_at, created_at, updated_at)
     SELECT 'done-${batch}-' || i, $1, '{}'::jsonb, 'DONE', 1, 8, t, t + interval '1 second', t, t + interval '1 second'
     FROM generate_series(1, $2::int) AS i, LATERAL (SELECT now() - (i % 1209600) * interval '1 second' AS t) x`,
    JOB.mailSend, done,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
     SELECT 'later-${batch}-' || i, $1, '{}'::jsonb, 'PENDING', 0, 8, now() + interval '1 day' + i * interval '1 minute', now(), now()
     FROM generate_series(1, $2::int) AS i`,
    JOB.mailSend, scheduled,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, finished_at, last_error, created_at, updated_at)
     SELECT 'dead-${batch}-' || i, $1, '{}'::jsonb, 'DEAD', 8, 8, now() - interval '1 day', now() - interval '1 day', 'SMTP refused', now() - interval '2 days', now() - interval '1 day'
     FROM generate_series(1, 3) AS i`,
    JOB.mailSend,
  );
  // Findings the reconciler raised and operators resolved long ago (they are kept), and a few still open.
  await db.$executeRawUnsafe(
    `INSERT INTO ops_findings (id, kind, subject, detail, created_at, resolved_at)
     SELECT 'finding-${batch}-' || i, 'paid-not-confirmed', 'subject-${batch}-' || i, 'x', now() - interval '30 days', CASE WHEN i > 3 THEN now() - interval '29 days' END
     FROM generate_series(1, $1::int) AS i`,
    done / 5,
  );
  await db.$executeRawUnsafe("VACUUM ANALYZE jobs");
  await db.$executeRawUnsafe("VACUUM ANALYZE ops_findings");
}

interface PlanNode { "Shared Hit Blocks": number; "Shared Read Blocks": number }
class RolledBack extends Error {
  constructor(readonly value: number) {
    super("rolled back");
  }
}

/** Buffers the statement touches, from EXPLAIN (ANALYZE, BUFFERS); run in a rolled-back transaction (the claim writes). */
async function buffers(sql: string, params: unknown[]): Promise<number> {
  try {
    await db.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, ...params);
      const plan = rows[0]["QUERY PLAN"][0].Plan;
      throw new RolledBack(plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]);
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.value;
    throw error;
  }
  throw new Error("unreachable");
}

const READS: [string, string, unknown[]][] = [
  ["health (GET /api/health, operations page)", QUEUE_HEALTH_SQL, []],
  ["claim (hold lane)", CLAIM_JOB_SQL, ["token", 60, [JOB.bookingExpireHold, JOB.stripeExpireCheckout]]],
  ["claim (general lane)", CLAIM_JOB_SQL, ["token", 60, [JOB.mailSend, JOB.calcomConfirm]]],
  ["jobs needing attention (operations page)", JOBS_NEEDING_ATTENTION_SQL, [300]],
  // What Prisma sends for the operations page's open findings (findMany, resolvedAt null, newest first, take 100).
  ["open findings (operations page)", `SELECT id, kind, subject FROM ops_findings WHERE resolved_at IS NULL ORDER BY created_at DESC LIMIT 100`, []],
];

beforeAll(async () => {
  await db.$executeRawUnsafe("DELETE FROM jobs");
  await db.$executeRawUnsafe("DELETE FROM ops_findings");
});

describe("the job queue's frequent reads and the operations page's lists", () => {
  it("cost the same with four times the finished and scheduled jobs and resolved findings", async () => {
    // Two jobs due now (one per lane), so each claim has one to find.
    await db.$executeRawUnsafe(
      `INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at) VALUES
       ('due-hold', $1, '{}'::jsonb, 'PENDING', 0, 8, now() - interval '2 seconds', now(), now()),
       ('due-mail', $2, '{}'::jsonb, 'PENDING', 0, 8, now() - interval '2 seconds', now(), now())`,
      JOB.bookingExpireHold, JOB.mailSend,
    );
    await addJobs(5_000, 5_000);
    const small = new Map<string, number>();
    for (const [name, sql, params] of READS) small.set(name, await buffers(sql, params));
    await addJobs(15_000, 15_000);
    for (const [name, sql, params] of READS) {
      const large = await buffers(sql, params);
      // A few pages more at most: the claim's UPDATE writes every index of jobs, one level deeper with 4x the rows
      // (24-26 -> 29). The old health read went from 72 to 276 here.
      expect(large, `${name}: ${small.get(name)} -> ${large} buffers`).toBeLessThanOrEqual(small.get(name)! + 10);
      expect(large, name).toBeLessThan(40);
    }
  });

  it("health counts due, running and dead jobs, not the ones scheduled for later", async () => {
    await db.$executeRawUnsafe("DELETE FROM jobs");
    await addJobs(100, 50);
    await db.$executeRawUnsafe(
      `INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, locked_until, locked_by, created_at, updated_at) VALUES
       ('due-old', $1, '{}'::jsonb, 'PENDING', 0, 8, now() - interval '90 seconds', NULL, NULL, now(), now()),
       ('due-new', $1, '{}'::jsonb, 'PENDING', 0, 8, now() - interval '1 second', NULL, NULL, now(), now()),
       ('running', $1, '{}'::jsonb, 'RUNNING', 1, 8, now() - interval '5 seconds', now() + interval '1 minute', 'w', now(), now())`,
      JOB.mailSend,
    );
    const health = await queueHealth();
    expect(health).toMatchObject({ due: 2, running: 1, dead: 3 });
    expect(health.oldestDueSeconds).toBeGreaterThanOrEqual(89);
    expect(health.oldestDueSeconds).toBeLessThan(200);
  });
});
