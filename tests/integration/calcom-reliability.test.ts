import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { bookingStatusView } from "@/lib/booking/confirm-from-stripe";
import { createBooking } from "@/lib/booking/create";
import { findSlots } from "@/lib/booking/slots";
import { coachApi } from "@/lib/calcom-sync/client";
import { syncCoach } from "@/lib/calcom-sync/sync";
import { db } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { JOB } from "@/lib/jobs/kinds";
import { drainJobs, runDueJobs } from "@/lib/jobs/queue";
import { createCoach, createStudent } from "../support/fixtures";
import { releaseWithoutStripe } from "../support/holds";
import { checkInvariants, NO_VIOLATIONS, ReliabilityReport } from "../support/invariants";
import { useEmulators } from "../support/emulators";

/**
 * Issue #7 scenarios through Cal.com (emulator) and Stripe (emulator). Cal.com behaviours relied on:
 * - a busy or unavailable host answers 400 `no_available_users_found_error` (upstream handleNewBooking,
 *   ErrorCode.NoAvailableUsersFound; the emulator's handlers/bookings.ts does the same);
 * - confirming an accepted booking is a 400 "Booking already confirmed" (../shared/calcom/CONTRACT.md);
 * - Cal.com does not retry webhooks, and its webhooks lag the truth (PITFALLS.md 1), so state is re-read.
 */
const { cal, stripe, app } = useEmulators({ webhooks: true, calcom: {}, env: { CALCOM_TIMEOUT_MS: "3000" } });
const report = new ReliabilityReport("calcom");

afterEach(() => {
  cal.faults.reset();
  stripe.faults.reset();
});
afterAll(() => report.write());

const weekdays = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 480, endMinute: 1200 }));

async function syncedCoach() {
  const fixture = await createCoach({ timeZone: "Europe/Berlin", rules: weekdays, minimumNoticeMinutes: 60, offerings: [{ title: "Session", durationMinutes: 60 }] });
  await syncCoach(fixture.user.id);
  const offering = await db.offering.findUniqueOrThrow({ where: { id: fixture.offerings[0].id } });
  return { ...fixture, offering };
}

async function freeSlots(coachId: string, offeringId: string) {
  const from = new Date(Date.now() + 3 * 86_400_000);
  return (await findSlots({ coachId, offeringId, from, to: new Date(from.getTime() + 5 * 86_400_000), timeZone: "UTC" })).slots;
}

/** Someone else books this time directly in Cal.com (an attendee on the coach's own booking page) and it is accepted. */
async function takenInCalcom(coachId: string, eventTypeId: number, start: string) {
  const api = await coachApi(coachId);
  const remote = await api.bookings.create({ start, eventTypeId, attendee: { name: "Walk-in", email: "walkin@example.com", timeZone: "UTC" } });
  await api.bookings.confirm(remote.uid);
  return remote.uid;
}

async function settle() {
  for (let i = 0; i < 3; i++) {
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);
  }
}

async function verify(name: string, faults: string[]) {
  await settle();
  const violations = await checkInvariants({ stripe, cal });
  report.add(name, faults, violations);
  expect(violations).toEqual(NO_VIOLATIONS);
  expect(cal.violations).toEqual([]);
}

describe("Cal.com refuses for good", () => {
  it("answers create-booking with a 409 that says why, and leaves no hold behind", async () => {
    const { coach, offering } = await syncedCoach();
    const student = await createStudent();
    const [slot] = await freeSlots(coach.id, offering.id);
    await takenInCalcom(coach.id, offering.calcomEventTypeId!, slot.start);
    await expect(createBooking(student, { offeringId: offering.id, start: slot.start, timeZone: "UTC" })).rejects.toMatchObject({
      code: "CALENDAR_REFUSED",
      status: 409,
      message: expect.stringMatching(/already has something at this time/),
    });
    const rows = await db.booking.findMany({ where: { offeringId: offering.id } });
    expect(rows.map((r) => r.status)).toEqual(["CANCELLED"]);
    await verify("create refused by Cal.com", ["time taken in Cal.com"]);
  });

  it("cancels and refunds a paid booking Cal.com refuses to book again, once, and tells the student", async () => {
    const { coach, offering } = await syncedCoach();
    const student = await createStudent();
    const [slot] = await freeSlots(coach.id, offering.id);
    const created = await createBooking(student, { offeringId: offering.id, start: slot.start, timeZone: "UTC" });
    const held = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    // The hold lapses and is released in Cal.com; someone takes the time there; then the money arrives.
    await releaseWithoutStripe(held.id);
    await drainJobs({ [JOB.calcomRelease]: JOB_HANDLERS[JOB.calcomRelease] });
    await takenInCalcom(coach.id, offering.calcomEventTypeId!, slot.start);
    await stripe.pay(held.stripeCheckoutSessionId!);
    await settle();
    const after = await db.booking.findUniqueOrThrow({ where: { id: held.id }, include: { payments: { include: { refunds: true } } } });
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "SYSTEM" });
    expect(after.calcomRefusal).toMatch(/already has something/);
    expect(after.payments[0]).toMatchObject({ status: "REFUNDED", amountRefundedMinor: 5000 });
    expect(after.payments[0].refunds).toHaveLength(1);
    // Not retried into a dead job.
    const confirm = await db.job.findUniqueOrThrow({ where: { dedupeKey: `calcom-confirm:${held.id}` } });
    expect(confirm).toMatchObject({ status: "DONE", attempts: 1 });
    expect(await db.opsFinding.count({ where: { kind: "calcom-refused", bookingId: held.id } })).toBe(1);
    const view = await bookingStatusView(held.id);
    expect(view).toMatchObject({ status: "CANCELLED", calcomRefusal: expect.stringMatching(/calendar/) });
    await verify("re-create refused by Cal.com after payment", ["hold lapsed", "time taken in Cal.com", "late payment"]);
  });
});

describe("Cal.com failing mid-way", () => {
  it("gets a paid booking accepted through 429s, 5xx and a timeout on confirm", async () => {
    const { coach, offering } = await syncedCoach();
    const student = await createStudent();
    const [, slot] = await freeSlots(coach.id, offering.id);
    const created = await createBooking(student, { offeringId: offering.id, start: slot.start, timeZone: "UTC" });
    const held = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    cal.faults.rateLimitNext(2, { retryAfterSeconds: 0, method: "POST", path: /\/confirm$/ });
    cal.faults.failNext(3, { status: 503, method: "POST", path: /\/confirm$/ });
    cal.faults.delayNext(1, 3500, { method: "POST", path: /\/confirm$/ });
    await stripe.pay(held.stripeCheckoutSessionId!);
    for (let round = 0; round < 8; round++) {
      await settle();
      await db.job.updateMany({ where: { status: "PENDING" }, data: { runAt: new Date(Date.now() - 1000) } });
    }
    const after = await db.booking.findUniqueOrThrow({ where: { id: held.id } });
    expect(after).toMatchObject({ status: "CONFIRMED", calcomStatus: "accepted" });
    expect(cal.state.bookings.get(after.calcomBookingUid!)!.status).toBe("accepted");
    report.count("Cal.com faults injected on confirm", 6);
    await verify("Cal.com 429, 5xx and timeout on confirm", ["429 x2", "503 x3", "timeout x1"]);
  });

  it("declines the Cal.com booking of an expired hold through 5xx on release", async () => {
    const { coach, offering } = await syncedCoach();
    const student = await createStudent();
    const [, , slot] = await freeSlots(coach.id, offering.id);
    const created = await createBooking(student, { offeringId: offering.id, start: slot.start, timeZone: "UTC" });
    const held = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    cal.faults.failNext(2, { status: 500, method: "POST", path: /\/decline$/ });
    await releaseWithoutStripe(held.id);
    for (let round = 0; round < 4; round++) {
      await settle();
      await db.job.updateMany({ where: { status: "PENDING" }, data: { runAt: new Date(Date.now() - 1000) } });
    }
    expect(cal.state.bookings.get(held.calcomBookingUid!)!.status).toBe("rejected");
    expect((await db.booking.findUniqueOrThrow({ where: { id: held.id } })).calcomReleasedAt).not.toBeNull();
    report.count("Cal.com faults injected on release", 2);
    await verify("Cal.com 5xx on release", ["500 x2 on decline"]);
  });
});

describe("the process killed between two steps", () => {
  it("completes the Cal.com confirm after the worker is killed mid-call and another process takes over", async () => {
    const { coach, offering } = await syncedCoach();
    const student = await createStudent();
    const [, , , slot] = await freeSlots(coach.id, offering.id);
    const created = await createBooking(student, { offeringId: offering.id, start: slot.start, timeZone: "UTC" });
    const held = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    // The payment is recorded and the confirm job queued in one transaction (the webhook); nobody runs it yet.
    await stripe.pay(held.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    expect((await db.booking.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("CONFIRMED");
    // Cal.com is slow to answer the confirm, and the worker process dies while waiting for it.
    cal.faults.delayNext(1, 4000, { method: "POST", path: /\/confirm$/ });
    // node with tsx's loader (not the tsx CLI, which runs the script in a grandchild that SIGKILL would miss).
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/support/job-worker-process.ts")], {
      env: { ...process.env, JOB_LEASE_SECONDS: "2", CALCOM_TIMEOUT_MS: "10000", COACHBOOK_LOG: "silent" },
      stdio: "ignore",
    });
    const deadline = Date.now() + 20_000;
    let running = false;
    while (Date.now() < deadline && !running) {
      const job = await db.job.findUnique({ where: { dedupeKey: `calcom-confirm:${held.id}` } });
      running = job?.status === "RUNNING";
      if (!running) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    report.count("worker processes killed mid-job");
    // Restarted: the lease runs out (2 s) and this process finishes the flow.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    process.env.JOB_LEASE_SECONDS = "2";
    try {
      await settle();
      await new Promise((resolve) => setTimeout(resolve, 4000));
      await settle();
    } finally {
      delete process.env.JOB_LEASE_SECONDS;
    }
    const after = await db.booking.findUniqueOrThrow({ where: { id: held.id } });
    expect(after).toMatchObject({ status: "CONFIRMED", calcomStatus: "accepted" });
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: `calcom-confirm:${held.id}` } });
    expect(job.status).toBe("DONE");
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    const remote = [...cal.state.bookings.values()].filter((b) => (b.metadata as Record<string, unknown>)?.bookingId === held.id && b.status === "accepted");
    expect(remote).toHaveLength(1);
    await verify("worker killed during the Cal.com confirm", ["SIGKILL mid-job", "slow Cal.com"]);
  }, 90_000);
});

describe("two workers and a slow Cal.com", () => {
  it("confirms in Cal.com once when two app processes' workers race over a confirm slower than the lease", async () => {
    const { coach, offering } = await syncedCoach();
    const student = await createStudent();
    const [, , , , slot] = await freeSlots(coach.id, offering.id);
    const created = await createBooking(student, { offeringId: offering.id, start: slot.start, timeZone: "UTC" });
    const held = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    await stripe.pay(held.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    cal.faults.delayNext(1, 2500, { method: "POST", path: /\/confirm$/ });
    // A client timeout longer than the slow call, so each confirm request counted is one job run (not a client retry).
    process.env.JOB_LEASE_SECONDS = "1";
    process.env.CALCOM_TIMEOUT_MS = "10000";
    try {
      const worker = (id: string) => runDueJobs(JOB_HANDLERS, { kinds: [JOB.calcomConfirm], workerId: id, limit: 5 });
      const probe = async () => {
        for (let i = 0; i < 8; i++) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await worker("b");
        }
      };
      await Promise.all([worker("a"), probe()]);
    } finally {
      delete process.env.JOB_LEASE_SECONDS;
      process.env.CALCOM_TIMEOUT_MS = "3000";
    }
    const confirmCalls = cal.requests.filter((entry) => entry.method === "POST" && /\/confirm$/.test(entry.path) && entry.path.includes(held.calcomBookingUid!)).length;
    expect(confirmCalls).toBe(1);
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: `calcom-confirm:${held.id}` } });
    expect(job).toMatchObject({ status: "DONE", attempts: 1 });
    report.count("concurrent workers over a slow Cal.com", 2);
    await verify("two workers, slow Cal.com", ["Cal.com confirm 2.5 s with a 1 s lease", "second worker probing"]);
  });
});
