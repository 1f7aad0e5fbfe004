import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { drainJobs, enqueue, PermanentJobError, runDueJobs } from "@/lib/jobs/queue";
import { applyWebhookOnce } from "@/lib/webhooks/apply-once";

describe("durable job queue", () => {
  it("runs a job once and keeps one job per dedupe key", async () => {
    const seen: unknown[] = [];
    await enqueue(db, { kind: "test.once", payload: { n: 1 }, dedupeKey: "k1" });
    await enqueue(db, { kind: "test.once", payload: { n: 2 }, dedupeKey: "k1" });
    await drainJobs({ "test.once": async (payload) => void seen.push(payload) });
    expect(seen).toEqual([{ n: 1 }]);
    expect(await db.job.findUniqueOrThrow({ where: { dedupeKey: "k1" } })).toMatchObject({ status: "DONE", attempts: 1 });
  });

  it("retries a failing job later with backoff and parks it as DEAD after maxAttempts", async () => {
    await enqueue(db, { kind: "test.flaky", payload: {}, dedupeKey: "flaky", maxAttempts: 2 });
    const fail = { "test.flaky": async () => { throw new Error("upstream 503"); } };
    expect(await runDueJobs(fail)).toBe(1);
    let job = await db.job.findUniqueOrThrow({ where: { dedupeKey: "flaky" } });
    expect(job).toMatchObject({ status: "PENDING", attempts: 1, lastError: "upstream 503" });
    expect(job.runAt.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing runs.
    expect(await runDueJobs(fail)).toBe(0);
    await db.job.update({ where: { id: job.id }, data: { runAt: new Date() } });
    await runDueJobs(fail);
    job = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(job).toMatchObject({ status: "DEAD", attempts: 2 });
  });

  it("parks a permanently failing job at once and recovers jobs whose worker died", async () => {
    await enqueue(db, { kind: "test.perm", payload: {}, dedupeKey: "perm" });
    await runDueJobs({ "test.perm": async () => { throw new PermanentJobError("booking is gone"); } });
    expect((await db.job.findUniqueOrThrow({ where: { dedupeKey: "perm" } })).status).toBe("DEAD");

    await enqueue(db, { kind: "test.crash", payload: {}, dedupeKey: "crash" });
    await db.job.update({ where: { dedupeKey: "crash" }, data: { status: "RUNNING", lockedUntil: new Date(Date.now() - 1000), attempts: 1 } });
    let ran = 0;
    await drainJobs({ "test.crash": async () => void ran++ });
    expect(ran).toBe(1);
    expect((await db.job.findUniqueOrThrow({ where: { dedupeKey: "crash" } })).status).toBe("DONE");
  });

  it("two workers never run the same job", async () => {
    for (let i = 0; i < 30; i++) await enqueue(db, { kind: "test.par", payload: { i }, dedupeKey: `par-${i}` });
    const runs: number[] = [];
    const handler = { "test.par": async (p: Record<string, unknown>) => { runs.push(p.i as number); await new Promise((r) => setTimeout(r, 5)); } };
    await Promise.all([drainJobs(handler), drainJobs(handler), drainJobs(handler)]);
    expect(runs.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});

describe("webhook events applied once", () => {
  it("applies an event once however often and however concurrently it is delivered", async () => {
    let effects = 0;
    const deliver = () => applyWebhookOnce({ provider: "STRIPE", id: "evt_1", type: "x", payload: {} }, async () => { effects++; });
    const results = await Promise.all([deliver(), deliver(), deliver(), deliver()]);
    expect(results.filter((r) => r === "applied")).toHaveLength(1);
    expect(effects).toBe(1);
    expect(await deliver()).toBe("duplicate");
  });

  it("records nothing when the effect fails, so a redelivery applies it", async () => {
    await expect(applyWebhookOnce({ provider: "CALCOM", id: "e2", type: "x", payload: {} }, async (tx) => {
      await tx.job.create({ data: { kind: "side", payload: {} } });
      throw new Error("boom");
    })).rejects.toThrow("boom");
    expect(await db.webhookEvent.count({ where: { eventId: "e2" } })).toBe(0);
    expect(await db.job.count({ where: { kind: "side" } })).toBe(0);
    expect(await applyWebhookOnce({ provider: "CALCOM", id: "e2", type: "x", payload: {} }, async () => {})).toBe("applied");
  });
});
