import { beforeEach, describe, expect, it } from "vitest";
import { cancelBooking } from "@/lib/booking/cancel";
import { createBooking } from "@/lib/booking/create";
import { db } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { drainJobs } from "@/lib/jobs/queue";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

/**
 * Cancel (POST /api/calcom/cancel-booking, lib/booking/cancel.ts) against real PostgreSQL and the Stripe emulator:
 * policy tiers to the second, who cancels, dry runs, repeats, concurrency, rounding, and Stripe failing mid-way.
 */
const { stripe } = useEmulators({ webhooks: true });
beforeEach(() => stripe.faults.reset());

const H = 3_600_000;

async function paidBooking(options: { priceMinor?: number; currency?: string; daysAhead?: number; policy?: Partial<{ lateCancelRefundPercent: number; partialRefundHoursBefore: number; fullRefundHoursBefore: number }> } = {}) {
  const fixture = await createCoach({ offerings: [{ priceMinor: options.priceMinor ?? 5000, currency: options.currency ?? "eur" }] });
  if (options.policy) await db.coachProfile.update({ where: { id: fixture.coach.id }, data: options.policy });
  const student = await createStudent();
  const created = await createBooking(student, { offeringId: fixture.offerings[0].id, start: futureHour(options.daysAhead ?? 3).toISOString(), timeZone: "Europe/London" });
  const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
  await stripe.pay(booking.stripeCheckoutSessionId!);
  await stripe.waitForDeliveries();
  await drainJobs(JOB_HANDLERS);
  const confirmed = await db.booking.findUniqueOrThrow({ where: { id: booking.id } });
  expect(confirmed.status).toBe("CONFIRMED");
  return { ...fixture, student, booking: confirmed, asStudent: { id: student.id, role: "STUDENT" as const }, asCoach: { id: fixture.user.id, role: "COACH" as const } };
}

async function stripeRefundsFor(bookingId: string) {
  const payments = await db.payment.findMany({ where: { bookingId } });
  const intents = new Set(payments.map((p) => p.stripePaymentIntentId));
  return [...stripe.state.refunds.values()].filter((r) => intents.has(r.payment_intent as string));
}

const refundsOf = (bookingId: string) => db.refund.findMany({ where: { payment: { bookingId } } });

describe("policy refunds at every tier boundary, to the second", () => {
  it.each([
    ["48 h before", 48 * H, 5000],
    ["exactly 24 h before", 24 * H, 5000],
    ["24 h minus 1 s", 24 * H - 1000, 2500],
    ["exactly 2 h before", 2 * H, 2500],
    ["2 h minus 1 s", 2 * H - 1000, 0],
    ["1 s before the start", 1000, 0],
  ])("a student cancelling %s (notice %i ms) gets %i back", async (_label, noticeMs, expected) => {
    const { booking, asStudent } = await paidBooking();
    const now = new Date(booking.startsAt.getTime() - noticeMs);
    const dry = await cancelBooking(asStudent, { bookingId: booking.id, dryRun: true }, now);
    const real = await cancelBooking(asStudent, { bookingId: booking.id }, now);
    expect(real.refund.amountMinor).toBe(expected);
    expect(dry).toEqual(real);
    expect(real).toMatchObject({ bookingId: booking.id, status: "CANCELLED", refund: { currency: "eur", status: expected > 0 ? "pending" : "none" } });
    expect(real.policy.refundTiers).toEqual([{ minHoursBefore: 24, percent: 100 }, { minHoursBefore: 2, percent: 50 }]);
    const after = await db.booking.findUniqueOrThrow({ where: { id: booking.id } });
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "STUDENT" });
  });
});

describe("DST change days, in the coach's and the student's zones", () => {
  it.each([
    // Europe/Berlin springs forward on 2027-03-28: 10:00 the day before is only 23 h of notice.
    ["Europe/Berlin", "America/New_York", "2027-03-28T10:00:00+02:00", "2027-03-27T10:00:00+01:00", 2500],
    ["Europe/Berlin", "America/New_York", "2027-03-28T10:00:00+02:00", "2027-03-27T09:00:00+01:00", 5000],
    // America/New_York springs forward on 2027-03-14 (the student's zone here).
    ["Asia/Tokyo", "America/New_York", "2027-03-14T12:00:00-04:00", "2027-03-13T12:00:00-05:00", 2500],
    ["Asia/Tokyo", "America/New_York", "2027-03-14T12:00:00-04:00", "2027-03-13T11:00:00-05:00", 5000],
  ])("coach in %s, student in %s: session %s, cancelled at %s → %i", async (coachZone, studentZone, startIso, nowIso, expected) => {
    const { offerings } = await createCoach({ timeZone: coachZone, offerings: [{ priceMinor: 5000 }] });
    const student = await createStudent(studentZone);
    const created = await createBooking(student, { offeringId: offerings[0].id, start: new Date(startIso).toISOString(), timeZone: studentZone });
    const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    await stripe.pay(booking.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    const result = await cancelBooking({ id: student.id, role: "STUDENT" }, { bookingId: booking.id }, new Date(nowIso));
    expect(result.refund.amountMinor).toBe(expected);
  });
});

describe("cancel", () => {
  it("dry run changes nothing: no status change, refund row or job", async () => {
    const { booking, asStudent } = await paidBooking();
    const jobs = await db.job.count();
    const dry = await cancelBooking(asStudent, { bookingId: booking.id, dryRun: true });
    expect(dry).toMatchObject({ status: "CANCELLED", refund: { amountMinor: 5000, status: "pending" } });
    expect((await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe("CONFIRMED");
    expect(await refundsOf(booking.id)).toEqual([]);
    expect(await db.job.count()).toBe(jobs);
  });

  it("refunds through Stripe, answers the same when repeated, and never refunds twice", async () => {
    const { booking, asStudent } = await paidBooking();
    const first = await cancelBooking(asStudent, { bookingId: booking.id, reason: "Sick" });
    await drainJobs(JOB_HANDLERS);
    const again = await cancelBooking(asStudent, { bookingId: booking.id });
    expect(again).toMatchObject({ ...first, refund: { ...first.refund, status: "succeeded" } });
    const refunds = await refundsOf(booking.id);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amountMinor: 5000, status: "succeeded", reason: "student-cancelled" });
    expect(await stripeRefundsFor(booking.id)).toHaveLength(1);
    expect((await db.payment.findFirstOrThrow({ where: { bookingId: booking.id } })).status).toBe("REFUNDED");
    // Told once (student and coach), however often the cancel is repeated.
    const mails = await db.job.findMany({ where: { kind: "mail.send", payload: { path: ["event"], equals: "booking.cancelled" }, AND: { payload: { path: ["bookingId"], equals: booking.id } } } });
    expect(mails).toHaveLength(2);
    expect((mails[0].payload as { extra: { cancelledBy: string; refundAmountMinor: number } }).extra).toMatchObject({ cancelledBy: "student", refundAmountMinor: 5000 });
  });

  it("two concurrent cancels make one refund and give the same answer", async () => {
    const { booking, asStudent, asCoach } = await paidBooking();
    const now = new Date(booking.startsAt.getTime() - 5 * H);
    const answers = await Promise.all([cancelBooking(asStudent, { bookingId: booking.id }, now), cancelBooking(asStudent, { bookingId: booking.id }, now), cancelBooking(asCoach, { bookingId: booking.id }, now)]);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await refundsOf(booking.id)).toHaveLength(1);
  });

  it("a coach or an admin cancelling refunds 100%; anyone else gets 404", async () => {
    const { booking, asCoach } = await paidBooking();
    const outsider = await createStudent();
    const otherCoach = await createCoach();
    await expect(cancelBooking({ id: outsider.id, role: "STUDENT" }, { bookingId: booking.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelBooking({ id: otherCoach.user.id, role: "COACH" }, { bookingId: booking.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelBooking({ id: outsider.id, role: "STUDENT" }, { bookingId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const late = new Date(booking.startsAt.getTime() - 60_000);
    const result = await cancelBooking(asCoach, { bookingId: booking.id }, late);
    expect(result.refund.amountMinor).toBe(5000);
    expect(await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({ endedBy: "COACH" });
    expect((await refundsOf(booking.id))[0].reason).toBe("coach-cancelled");

    const second = await paidBooking();
    const admin = await db.user.create({ data: { email: `admin-${booking.id}@example.com`, name: "Admin", passwordHash: "x", role: "ADMIN", timeZone: "UTC" } });
    const byAdmin = await cancelBooking({ id: admin.id, role: "ADMIN" }, { bookingId: second.booking.id }, late);
    expect(byAdmin.refund.amountMinor).toBe(5000);
    expect(await db.booking.findUniqueOrThrow({ where: { id: second.booking.id } })).toMatchObject({ endedBy: "ADMIN" });
  });

  it("refuses a session that has started or ended with 409 and a clear message", async () => {
    const { booking, asStudent, asCoach } = await paidBooking();
    await expect(cancelBooking(asStudent, { bookingId: booking.id }, booking.startsAt)).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/already started/) });
    await expect(cancelBooking(asCoach, { bookingId: booking.id }, new Date(booking.endsAt.getTime() + 1000))).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/already taken place/) });
    expect((await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe("CONFIRMED");
  });

  it("cancelling an unpaid hold releases it and expires its Checkout Session", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    const created = await createBooking(student, { offeringId: offerings[0].id, start: futureHour(4).toISOString(), timeZone: "UTC" });
    const result = await cancelBooking({ id: student.id, role: "STUDENT" }, { bookingId: created.bookingId });
    expect(result).toMatchObject({ status: "CANCELLED", refund: { amountMinor: 0, status: "none" } });
    await drainJobs(JOB_HANDLERS);
    const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    expect(booking).toMatchObject({ status: "CANCELLED", endedBy: "STUDENT", holdExpiresAt: null });
    expect(stripe.state.checkoutSessions.get(booking.stripeCheckoutSessionId!)?.status).toBe("expired");
  });

  it("rounds down in minor units, zero-decimal currencies included (JPY 999 at 33% = 329)", async () => {
    const { booking, asStudent } = await paidBooking({ priceMinor: 999, currency: "jpy", policy: { lateCancelRefundPercent: 33 } });
    const result = await cancelBooking(asStudent, { bookingId: booking.id }, new Date(booking.startsAt.getTime() - 3 * H));
    expect(result.refund).toEqual({ amountMinor: 329, currency: "jpy", status: "pending" });
    await drainJobs(JOB_HANDLERS);
    const [refund] = await stripeRefundsFor(booking.id);
    expect(refund).toMatchObject({ amount: 329, currency: "jpy" });
  });

  it("applies the snapshot taken at booking, not the coach's current policy", async () => {
    const { booking, asStudent, coach } = await paidBooking();
    await db.coachProfile.update({ where: { id: coach.id }, data: { lateCancelRefundPercent: 0, partialRefundHoursBefore: 0, fullRefundHoursBefore: 100 } });
    const result = await cancelBooking(asStudent, { bookingId: booking.id }, new Date(booking.startsAt.getTime() - 30 * H));
    expect(result.refund.amountMinor).toBe(5000);
  });

  it("never refunds more than is left after earlier refunds", async () => {
    const { booking, asCoach } = await paidBooking();
    const payment = await db.payment.findFirstOrThrow({ where: { bookingId: booking.id } });
    await db.refund.create({ data: { paymentId: payment.id, amountMinor: 1200, currency: "eur", status: "succeeded", reason: "refund", idempotencyKey: `manual:${payment.id}` } });
    const result = await cancelBooking(asCoach, { bookingId: booking.id });
    expect(result.refund.amountMinor).toBe(3800);
  });

  it("keeps the refund when Stripe fails mid-way, retries it, and shows it pending until it succeeds", async () => {
    const { booking, asStudent } = await paidBooking();
    stripe.faults.failNext(2, 500);
    const result = await cancelBooking(asStudent, { bookingId: booking.id });
    expect(result.refund).toMatchObject({ amountMinor: 5000, status: "pending" });
    await drainJobs(JOB_HANDLERS).catch(() => undefined);
    // The job backs off after the 500s; make it due again, as time passing would.
    await db.job.updateMany({ where: { kind: "stripe.refund", status: "PENDING" }, data: { runAt: new Date(Date.now() - 1000) } });
    await drainJobs(JOB_HANDLERS);
    await db.job.updateMany({ where: { kind: "stripe.refund", status: "PENDING" }, data: { runAt: new Date(Date.now() - 1000) } });
    await drainJobs(JOB_HANDLERS);
    const again = await cancelBooking(asStudent, { bookingId: booking.id });
    expect(again.refund).toMatchObject({ amountMinor: 5000, status: "succeeded" });
    expect(await stripeRefundsFor(booking.id)).toHaveLength(1);
  });
});
