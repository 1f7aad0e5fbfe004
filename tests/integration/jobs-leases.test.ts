import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineJob, enqueue, pruneOldRecords, recoverExpiredLeases, retryDeadJob, runDueJobs, type JobHandler } from "@/lib/jobs/queue";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  delete process.env.JOB_LEASE_SECONDS;
});

describe("job leases", () => {
  it("runs every job exactly once with two workers and jobs slower than the lease (heartbeats keep it)", async () => {
    process.env.JOB_LEASE_SECONDS = "1";
    const runs = new Map<string, number>();
    const slow: JobHandler = async (payload) => {
      const key = String(payload.n);
      runs.set(key, (runs.get(key) ?? 0) + 1);
      await sleep(2500);
    };
    for (let n = 0; n < 6; n++) await enqueue(db, { kind: "test.slow", payload: { n }, dedupeKey: `slow-${n}` });
    const worker = (id: string) => runDueJobs({ "test.slow": slow }, { concurrency: 3, workerId: id, limit: 6 });
    // A third worker keeps looking for work (and for expired leases) while the slow jobs run: without heartbeats it
    // would take them over after 1 s and run them a second time.
    const prober = async () => {
      let taken = 0;
      for (let i = 0; i < 8; i++) {
        await sleep(350);
        taken += await runDueJobs({ "test.slow": slow }, { workerId: "c" });
      }
      return taken;
    };
    const [a, b, c] = await Promise.all([worker("a"), worker("b"), prober()]);
    expect(a + b + c).toBe(6);
    expect([...runs.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await db.job.count({ where: { kind: "test.slow", status: "DONE", attempts: 1 } })).toBe(6);
  });

  it("fences completion: a worker that lost its lease cannot mark the job done", async () => {
    process.env.JOB_LEASE_SECONDS = "30";
    await enqueue(db, { kind: "test.fenced", payload: {}, dedupeKey: "fenced" });
    let stolen = false;
    const handler: JobHandler = async () => {
      // Another worker takes the job over (as if our lease had run out) while we are still running.
      await db.job.update({ where: { dedupeKey: "fenced" }, data: { lockedBy: "someone-else" } });
      stolen = true;
    };
    await runDueJobs({ "test.fenced": handler });
    expect(stolen).toBe(true);
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: "fenced" } });
    expect(job).toMatchObject({ status: "RUNNING", lockedBy: "someone-else" });
  });

  it("a job that crashes its process every time ends DEAD after its attempts, not retried forever", async () => {
    await enqueue(db, { kind: "test.crashloop", payload: {}, dedupeKey: "crashloop", maxAttempts: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      // Claimed by a worker that then dies: attempts are counted at the claim, the lease simply runs out.
      await db.$executeRaw`UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, locked_by = 'dead-worker', locked_until = now() - interval '1 second' WHERE dedupe_key = 'crashloop'`;
      await recoverExpiredLeases();
    }
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: "crashloop" } });
    expect(job).toMatchObject({ status: "DEAD", attempts: 3 });
    expect(job.lastError).toMatch(/lease expired/);
    let ran = 0;
    await runDueJobs({ "test.crashloop": async () => void ran++ });
    expect(ran).toBe(0);
    // An operator retries it: it runs again with a fresh set of attempts.
    expect(await retryDeadJob(job.id)).toBe(true);
    expect(await retryDeadJob(job.id)).toBe(false);
    await runDueJobs({ "test.crashloop": async () => void ran++ });
    expect(ran).toBe(1);
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "DONE", attempts: 1 });
  });

  it("validates payloads per job kind: a malformed payload is DEAD at once with the reason", async () => {
    const handler = defineJob(z.object({ bookingId: z.string().min(1) }), async () => {});
    await enqueue(db, { kind: "test.typed", payload: { bookingId: 42 }, dedupeKey: "typed" });
    await runDueJobs({ "test.typed": handler });
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: "typed" } });
    expect(job.status).toBe("DEAD");
    expect(job.lastError).toMatch(/invalid job payload: bookingId/);
  });

  it("computes due times on the database's clock and records why each job exists", async () => {
    await enqueue(db, { kind: "test.later", payload: {}, dedupeKey: "later", delayMs: 60_000, cause: "hold expired" });
    const [row] = await db.$queryRaw<{ seconds: number; cause: string }[]>`SELECT EXTRACT(EPOCH FROM run_at - now())::float8 AS seconds, cause FROM jobs WHERE dedupe_key = 'later'`;
    expect(row.seconds).toBeGreaterThan(55);
    expect(row.seconds).toBeLessThanOrEqual(60);
    expect(row.cause).toBe("hold expired");
    expect(await runDueJobs({ "test.later": async () => {} })).toBe(0);
  });

  it("lets a fast lane run while the general lane is busy with slow jobs", async () => {
    await enqueue(db, { kind: "test.glacial", payload: {}, dedupeKey: "glacial" });
    await enqueue(db, { kind: "test.quick", payload: {}, dedupeKey: "quick" });
    let quickDoneAt = 0;
    let glacialDoneAt = 0;
    const started = Date.now();
    await Promise.all([
      runDueJobs({ "test.glacial": async () => { await sleep(1500); glacialDoneAt = Date.now() - started; } }, { kinds: ["test.glacial"] }),
      runDueJobs({ "test.quick": async () => { quickDoneAt = Date.now() - started; } }, { kinds: ["test.quick"] }),
    ]);
    expect(quickDoneAt).toBeLessThan(glacialDoneAt);
  });

  it("prunes finished jobs and old webhook records after their retention, keeping dead jobs", async () => {
    await enqueue(db, { kind: "test.old", payload: {}, dedupeKey: "old-done" });
    await enqueue(db, { kind: "test.old", payload: {}, dedupeKey: "old-dead" });
    await db.$executeRaw`UPDATE jobs SET status = 'DONE', finished_at = now() - interval '20 days' WHERE dedupe_key = 'old-done'`;
    await db.$executeRaw`UPDATE jobs SET status = 'DEAD', finished_at = now() - interval '20 days' WHERE dedupe_key = 'old-dead'`;
    await db.webhookEvent.create({ data: { provider: "STRIPE", eventId: "evt_old", type: "x", payload: {}, receivedAt: new Date(Date.now() - 40 * 86_400_000) } });
    await db.webhookEvent.create({ data: { provider: "STRIPE", eventId: "evt_new", type: "x", payload: {} } });
    const pruned = await pruneOldRecords({ jobDays: 14, webhookDays: 30 });
    expect(pruned).toEqual({ jobs: 1, events: 1 });
    expect(await db.job.count({ where: { dedupeKey: { in: ["old-done", "old-dead"] } } })).toBe(1);
    expect(await db.webhookEvent.count({ where: { eventId: { in: ["evt_old", "evt_new"] } } })).toBe(1);
  });
});
