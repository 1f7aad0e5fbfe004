import { afterAll, describe, expect, it } from "vitest";
import { actAs, jsonRequest, noParams } from "../support/session";
import { POST as resolveFindingRoute } from "@/app/api/admin/findings/resolve/route";
import { POST as retryRoute } from "@/app/api/admin/jobs/retry/route";
import { GET as operationsRoute } from "@/app/api/admin/operations/route";
import { POST as reconcileRoute } from "@/app/api/admin/reconcile/route";
import { GET as healthRoute } from "@/app/api/health/route";
import { db } from "@/lib/db/client";
import { enqueue } from "@/lib/jobs/queue";
import { recordFinding } from "@/lib/ops/findings";
import { reconcile } from "@/lib/ops/reconcile";
import { createStudent } from "../support/fixtures";

afterAll(() => actAs(null));

const admin = { id: "admin-1", name: "Ops", email: "ops@example.com", role: "ADMIN" as const, timeZone: "UTC" };

describe("operations routes", () => {
  it("are for admins only: 401 signed out, 403 for students and coaches", async () => {
    const student = await createStudent();
    actAs(null);
    expect((await operationsRoute(jsonRequest("/api/admin/operations"), noParams)).status).toBe(401);
    actAs({ id: student.id, name: student.name, email: student.email, role: "STUDENT", timeZone: "UTC" });
    expect((await operationsRoute(jsonRequest("/api/admin/operations"), noParams)).status).toBe(403);
    expect((await retryRoute(jsonRequest("/api/admin/jobs/retry", { jobId: "x" }), noParams)).status).toBe(403);
    actAs({ id: student.id, name: student.name, email: student.email, role: "COACH", timeZone: "UTC" });
    expect((await reconcileRoute(jsonRequest("/api/admin/reconcile", {}), noParams)).status).toBe(403);
  });

  it("show dead jobs and findings, retry a dead job, resolve a finding, and queue a reconciliation", async () => {
    await enqueue(db, { kind: "calcom.confirm", payload: { bookingId: "b-gone" }, dedupeKey: "ops-dead", cause: "payment confirmed" });
    await db.$executeRaw`UPDATE jobs SET status = 'DEAD', attempts = 10, last_error = 'Cal.com 503', finished_at = now() WHERE dedupe_key = 'ops-dead'`;
    await recordFinding(db, { kind: "refund-failed", subject: "re-1", bookingId: "b-1", detail: "A refund did not go through." });
    actAs(admin);
    const overview = await (await operationsRoute(jsonRequest("/api/admin/operations"), noParams)).json();
    const dead = overview.jobs.find((j: { kind: string; status: string }) => j.status === "DEAD");
    expect(dead).toMatchObject({ kind: "calcom.confirm", lastError: "Cal.com 503", cause: "payment confirmed" });
    expect(overview.queue.dead).toBe(1);
    const finding = overview.findings.find((f: { subject: string }) => f.subject === "re-1");
    expect(finding).toMatchObject({ kind: "refund-failed", fixed: false });

    expect((await retryRoute(jsonRequest("/api/admin/jobs/retry", { jobId: dead.id }), noParams)).status).toBe(200);
    expect(await db.job.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({ status: "PENDING", attempts: 0 });
    const again = await retryRoute(jsonRequest("/api/admin/jobs/retry", { jobId: dead.id }), noParams);
    expect(again.status).toBe(404);
    expect((await retryRoute(jsonRequest("/api/admin/jobs/retry", { nope: 1 }), noParams)).status).toBe(400);

    expect((await resolveFindingRoute(jsonRequest("/api/admin/findings/resolve", { findingId: finding.id }), noParams)).status).toBe(200);
    expect((await db.opsFinding.findUniqueOrThrow({ where: { id: finding.id } })).resolvedAt).not.toBeNull();
    expect((await reconcileRoute(jsonRequest("/api/admin/reconcile", {}), noParams)).status).toBe(200);
    expect(await db.job.count({ where: { kind: "ops.reconcile", cause: "operator asked" } })).toBe(1);
  });

  it("GET /api/health reports the database and the queue's depth and oldest due job, to anyone", async () => {
    actAs(null);
    await enqueue(db, { kind: "test.waiting", payload: {}, dedupeKey: "health-due", runAt: new Date(Date.now() - 90_000) });
    const response = await healthRoute(jsonRequest("/api/health"), noParams);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ ok: true, database: "up" });
    expect(body.queue.due).toBeGreaterThanOrEqual(1);
    expect(body.queue.oldestDueSeconds).toBeGreaterThanOrEqual(89);
  });

  it("the reconciler records a dead job once, and does not reopen it after an operator resolved it", async () => {
    await enqueue(db, { kind: "stripe.refund", payload: { refundId: "r-x" }, dedupeKey: "ops-dead-2" });
    await db.$executeRaw`UPDATE jobs SET status = 'DEAD', attempts = 10, last_error = 'Stripe 500', finished_at = now() WHERE dedupe_key = 'ops-dead-2'`;
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: "ops-dead-2" } });
    const first = await reconcile();
    expect(first.deadJobs).toBeGreaterThanOrEqual(1);
    const finding = await db.opsFinding.findUniqueOrThrow({ where: { kind_subject: { kind: "dead-job", subject: job.id } } });
    expect(finding.detail).toMatch(/stripe.refund gave up: Stripe 500/);
    actAs(admin);
    await resolveFindingRoute(jsonRequest("/api/admin/findings/resolve", { findingId: finding.id }), noParams);
    await reconcile();
    expect(await db.opsFinding.count({ where: { kind: "dead-job", subject: job.id } })).toBe(1);
    expect((await db.opsFinding.findUniqueOrThrow({ where: { id: finding.id } })).resolvedAt).not.toBeNull();
  });
});
