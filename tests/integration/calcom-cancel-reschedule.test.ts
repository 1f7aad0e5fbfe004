import { afterEach, describe, expect, it } from "vitest";
import { cancelBooking } from "@/lib/booking/cancel";
import { createBooking } from "@/lib/booking/create";
import { rescheduleBooking } from "@/lib/booking/reschedule";
import { findSlots } from "@/lib/booking/slots";
import { coachApi } from "@/lib/calcom-sync/client";
import { syncCoach } from "@/lib/calcom-sync/sync";
import { db } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { JOB } from "@/lib/jobs/kinds";
import { drainJobs, enqueue } from "@/lib/jobs/queue";
import { createCoach, createStudent } from "../support/fixtures";
import { TEST_CALCOM, useEmulators } from "../support/emulators";

/**
 * The same rules when it happens in Cal.com (issue #8), against the Cal.com and Stripe emulators: who cancelled is
 * read from `cancelledByEmail` (CONTRACT.md §6; the attendee's cancel link carries `cancelledBy=<attendee email>`,
 * upstream packages/lib/CalEventParser.ts getCancelLink), a reschedule makes a new uid whose old booking is cancelled
 * with `rescheduledToUid` (CONTRACT.md §6, handleNewBooking/createBooking.ts) and, by the attendee on a
 * confirmation-required event type, is pending again with BOOKING_REQUESTED carrying `rescheduleUid` (PITFALLS.md #2).
 */
// Cal.com with TEST_CALCOM's credentials; Sync subscribes the route server (APP_URL) with its webhook secret.
const { cal, stripe, app } = useEmulators({ webhooks: true, calcom: TEST_CALCOM });
afterEach(() => {
  expect(cal.violations).toEqual([]);
  cal.faults.reset();
});

const weekdays9to17 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }));

async function settle() {
  await cal.webhooks.idle();
  await drainJobs(JOB_HANDLERS);
  await stripe.waitForDeliveries();
  await cal.webhooks.idle();
  await drainJobs(JOB_HANDLERS);
}

/** A synced coach (Cal.com event types require confirmation) and slots a few days ahead. */
async function setup() {
  const fixture = await createCoach({ timeZone: "Europe/Berlin", rules: weekdays9to17, minimumNoticeMinutes: 60, offerings: [{ title: "Alpha", durationMinutes: 60 }, { title: "Beta", durationMinutes: 60 }] });
  await syncCoach(fixture.user.id);
  const from = new Date();
  from.setUTCDate(from.getUTCDate() + 3);
  from.setUTCHours(0, 0, 0, 0);
  const slots = await findSlots({ coachId: fixture.coach.id, offeringId: fixture.offerings[0].id, from, to: new Date(from.getTime() + 7 * 86_400_000), timeZone: "UTC" });
  const student = await createStudent();
  return { ...fixture, student, slots: slots.slots.map((s) => s.start) };
}

async function paid(ctx: Awaited<ReturnType<typeof setup>>, start: string, offering = ctx.offerings[0]) {
  const created = await createBooking(ctx.student, { offeringId: offering.id, start, timeZone: "UTC" });
  const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
  await stripe.pay(booking.stripeCheckoutSessionId!);
  await settle();
  const confirmed = await db.booking.findUniqueOrThrow({ where: { id: booking.id } });
  expect(confirmed).toMatchObject({ status: "CONFIRMED", calcomStatus: "accepted" });
  return confirmed;
}

const load = (id: string) => db.booking.findUniqueOrThrow({ where: { id }, include: { payments: { include: { refunds: true } } } });
const refunded = (b: Awaited<ReturnType<typeof load>>) => b.payments.flatMap((p) => p.refunds).reduce((s, r) => s + r.amountMinor, 0);
/** Make the booking's snapshot stricter than the coach's settings (the snapshot decides). */
const setSnapshot = (id: string, policy: object) =>
  db.booking.update({ where: { id }, data: { policy: { version: 2, refundTiers: [{ minHoursBefore: 5000, percent: 100 }, { minHoursBefore: 0, percent: 50 }], rescheduleCutoffHours: 12, maxReschedules: 2, ...policy } } });

describe("cancelled in Cal.com", () => {
  it("by the attendee (their email link): the student's policy refund, ended by STUDENT", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[0]);
    await setSnapshot(booking.id, {});
    cal.faults.duplicateWebhooks(3);
    cal.attendee.cancel(booking.calcomBookingUid!, { reason: "Cannot make it" });
    await settle();
    const after = await load(booking.id);
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "STUDENT", calcomStatus: "cancelled" });
    expect(refunded(after)).toBe(2500);
    // Replaying every reconcile changes nothing.
    await enqueue(db, { kind: JOB.calcomReconcile, payload: { bookingId: booking.id }, dedupeKey: `replay:${booking.id}` });
    await settle();
    expect(refunded(await load(booking.id))).toBe(2500);
  });

  it("by the host: 100%, ended by COACH", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[1]);
    await setSnapshot(booking.id, {});
    await (await coachApi(ctx.coach.id)).bookings.cancel(booking.calcomBookingUid!, { cancellationReason: "Ill" });
    await settle();
    const after = await load(booking.id);
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "COACH" });
    expect(refunded(after)).toBe(5000);
  });

  it("by nobody we can name: 100% and an operator finding", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[2]);
    await setSnapshot(booking.id, {});
    cal.attendee.cancel(booking.calcomBookingUid!, { email: "someone-else@example.com" });
    await settle();
    const after = await load(booking.id);
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "SYSTEM" });
    expect(refunded(after)).toBe(5000);
    expect(await db.opsFinding.count({ where: { bookingId: booking.id } })).toBe(1);
  });

  it("our own cancel in Coachbook is cancelled in Cal.com once, and its echo is not taken for the coach's", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[3]);
    await setSnapshot(booking.id, {});
    const result = await cancelBooking({ id: ctx.student.id, role: "STUDENT" }, { bookingId: booking.id });
    await settle();
    expect(cal.state.bookings.get(booking.calcomBookingUid!)!.status).toBe("cancelled");
    const after = await load(booking.id);
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "STUDENT" });
    expect(refunded(after)).toBe(result.refund.amountMinor);
    expect(result.refund.amountMinor).toBe(2500);
  });
});

describe("Cal.com failing mid-way", () => {
  it("a cancel made in Coachbook reaches Cal.com once Cal.com answers again; the refund does not wait for it", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[16]);
    cal.faults.failNext(4, { status: 503, method: "POST" });
    const result = await cancelBooking({ id: ctx.user.id, role: "COACH" }, { bookingId: booking.id });
    expect(result.refund).toMatchObject({ amountMinor: 5000 });
    await settle();
    for (let i = 0; i < 5 && cal.state.bookings.get(booking.calcomBookingUid!)!.status !== "cancelled"; i++) {
      await db.job.updateMany({ where: { status: "PENDING" }, data: { runAt: new Date(Date.now() - 1000) } });
      await settle();
    }
    expect(cal.state.bookings.get(booking.calcomBookingUid!)!).toMatchObject({ status: "cancelled" });
    const after = await load(booking.id);
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "COACH" });
    expect(after.payments.flatMap((p) => p.refunds).map((r) => [r.amountMinor, r.status])).toEqual([[5000, "succeeded"]]);
  });
});

describe("rejected by the coach in Cal.com while the student is paying", () => {
  it("releases the hold, expires the Checkout Session, refunds a payment that still lands, and never re-creates it", async () => {
    const ctx = await setup();
    const created = await createBooking(ctx.student, { offeringId: ctx.offerings[0].id, start: ctx.slots[4], timeZone: "UTC" });
    const hold = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    stripe.faults.holdWebhooks();
    // The student pays at the same moment the coach declines; the Stripe webhook is late.
    await stripe.pay(hold.stripeCheckoutSessionId!);
    await (await coachApi(ctx.coach.id)).bookings.decline(hold.calcomBookingUid!, "Not available after all");
    await cal.webhooks.idle();
    await drainJobs(JOB_HANDLERS);
    expect(await load(hold.id)).toMatchObject({ status: "CANCELLED", endedBy: "COACH", notice: expect.stringMatching(/declined/) });
    stripe.faults.releaseWebhooks();
    await settle();
    const after = await load(hold.id);
    expect(after.status).toBe("CANCELLED");
    expect(refunded(after)).toBe(5000);
    const remote = [...cal.state.bookings.values()].filter((b) => b.metadata.bookingId === hold.id);
    expect(remote.map((b) => b.status)).toEqual(["rejected"]);
  });

  it("after payment (before our confirm ran): cancelled with a full refund, never re-created", async () => {
    const ctx = await setup();
    const created = await createBooking(ctx.student, { offeringId: ctx.offerings[0].id, start: ctx.slots[7], timeZone: "UTC" });
    const hold = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    await setSnapshot(hold.id, {});
    await stripe.pay(hold.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    expect((await load(hold.id)).status).toBe("CONFIRMED");
    // The coach declines the still-pending Cal.com booking before the confirm job runs.
    await (await coachApi(ctx.coach.id)).bookings.decline(hold.calcomBookingUid!, "Cannot do it");
    await settle();
    const after = await load(hold.id);
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "COACH" });
    expect(refunded(after)).toBe(5000);
    expect([...cal.state.bookings.values()].filter((b) => b.metadata.bookingId === hold.id).map((b) => b.status)).toEqual(["rejected"]);
  });

  it("expires the open Checkout Session when nobody paid", async () => {
    const ctx = await setup();
    const created = await createBooking(ctx.student, { offeringId: ctx.offerings[0].id, start: ctx.slots[5], timeZone: "UTC" });
    const hold = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    await (await coachApi(ctx.coach.id)).bookings.decline(hold.calcomBookingUid!);
    await settle();
    expect(await load(hold.id)).toMatchObject({ status: "CANCELLED", endedBy: "COACH" });
    expect(stripe.state.checkoutSessions.get(hold.stripeCheckoutSessionId!)?.status).toBe("expired");
  });
});

describe("rescheduled in Cal.com", () => {
  it("by the attendee, allowed: moved here (chain kept, money linked) and confirmed in Cal.com", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[0]);
    const target = ctx.slots[8];
    const moved = cal.attendee.reschedule(booking.calcomBookingUid!, { start: target });
    expect(moved.status).toBe("pending");
    await settle();
    const old = await load(booking.id);
    expect(old).toMatchObject({ status: "RESCHEDULED", endedBy: "STUDENT" });
    const fresh = await load(old.rescheduledToId!);
    expect(fresh).toMatchObject({ status: "CONFIRMED", calcomBookingUid: moved.uid, calcomStatus: "accepted", rescheduledFromId: booking.id, rescheduleCount: 1, rescheduledBy: "STUDENT" });
    expect(fresh.startsAt.toISOString()).toBe(new Date(target).toISOString());
    expect(fresh.payments).toHaveLength(1);
    expect(cal.state.bookings.get(moved.uid)!.status).toBe("accepted");
    expect(cal.state.bookings.get(booking.calcomBookingUid!)!.rescheduledToUid).toBe(moved.uid);
    expect(refunded(fresh)).toBe(0);
    // Replays (of the hint for either booking) change nothing.
    for (const id of [booking.id, fresh.id]) await enqueue(db, { kind: JOB.calcomReconcile, payload: { bookingId: id }, dedupeKey: `replay:${id}` });
    await settle();
    expect(await db.booking.count({ where: { seriesId: booking.id } })).toBe(1);
    expect(await load(fresh.id)).toMatchObject({ status: "CONFIRMED", calcomBookingUid: moved.uid, startsAt: fresh.startsAt });
  });

  it("by the attendee, not allowed (inside the cut-off): moved back in Cal.com, original kept, student told", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[1]);
    await setSnapshot(booking.id, { rescheduleCutoffHours: 5000 });
    const moved = cal.attendee.reschedule(booking.calcomBookingUid!, { start: ctx.slots[9] });
    await settle();
    const after = await load(booking.id);
    expect(after).toMatchObject({ status: "CONFIRMED", startsAt: booking.startsAt, notice: expect.stringMatching(/undone/) });
    const remote = cal.state.bookings.get(after.calcomBookingUid!)!;
    expect(remote).toMatchObject({ status: "accepted", start: booking.startsAt.getTime(), rescheduledFromUid: moved.uid });
    // Exactly one live Cal.com booking for this session.
    const live = [...cal.state.bookings.values()].filter((b) => b.metadata.bookingId === booking.id && (b.status === "accepted" || b.status === "pending"));
    expect(live).toHaveLength(1);
  });

  it("not allowed, and the original time was taken in Cal.com meanwhile: cancelled in both with a full refund", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[6]);
    await setSnapshot(booking.id, { rescheduleCutoffHours: 5000 });
    cal.faults.holdWebhooks();
    const moved = cal.attendee.reschedule(booking.calcomBookingUid!, { start: ctx.slots[13] });
    // Someone books the freed original time directly in Cal.com before we react.
    const offering = await db.offering.findUniqueOrThrow({ where: { id: ctx.offerings[0].id } });
    await (await coachApi(ctx.coach.id)).bookings.create({ start: booking.startsAt.toISOString(), eventTypeId: offering.calcomEventTypeId!, attendee: { name: "Walk-in", email: "walkin@example.com", timeZone: "UTC" } });
    await cal.faults.releaseWebhooks();
    await settle();
    const after = await load(booking.id);
    expect(after).toMatchObject({ status: "CANCELLED", endedBy: "SYSTEM", notice: expect.stringMatching(/refunded in full/) });
    expect(refunded(after)).toBe(5000);
    expect(cal.state.bookings.get(moved.uid)!.status).toBe("cancelled");
  });

  it("onto a time that collides with another live booking: never double-booked in either system", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[2]);
    // Another student holds a slot on the other offering; Cal.com does not block pending bookings of another
    // event type (CONTRACT.md §5), so the host can move the paid booking onto it there.
    const other = await createStudent();
    const collide = ctx.slots[10];
    const otherHold = await createBooking(other, { offeringId: ctx.offerings[1].id, start: collide, timeZone: "UTC" });
    const api = await coachApi(ctx.coach.id);
    const owner = cal.state.users.get(cal.state.bookings.get(booking.calcomBookingUid!)!.ownerId)!;
    await api.bookings.reschedule(booking.calcomBookingUid!, { start: collide, rescheduledBy: owner.email });
    await settle();
    const after = await load(booking.id);
    expect(after).toMatchObject({ status: "CONFIRMED", startsAt: booking.startsAt });
    expect(cal.state.bookings.get(after.calcomBookingUid!)!).toMatchObject({ status: "accepted", start: booking.startsAt.getTime() });
    expect(await load(otherHold.bookingId)).toMatchObject({ status: "PENDING_PAYMENT" });
    const liveAtCollision = [...cal.state.bookings.values()].filter((b) => b.start === new Date(collide).getTime() && (b.status === "accepted" || b.status === "pending"));
    expect(liveAtCollision).toHaveLength(1);
    expect(await db.opsFinding.count({ where: { kind: "double-booked-in-calcom", bookingId: booking.id } })).toBe(1);
  });
});

describe("rescheduled in Cal.com while the student is still paying", () => {
  it("releases the hold and the moved Cal.com booking; the student books again", async () => {
    const ctx = await setup();
    const created = await createBooking(ctx.student, { offeringId: ctx.offerings[0].id, start: ctx.slots[14], timeZone: "UTC" });
    const hold = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    const moved = cal.attendee.reschedule(hold.calcomBookingUid!, { start: ctx.slots[15] });
    await settle();
    expect(await load(hold.id)).toMatchObject({ status: "CANCELLED", calcomBookingUid: moved.uid });
    expect(cal.state.bookings.get(moved.uid)!.status).toBe("rejected");
    expect(stripe.state.checkoutSessions.get(hold.stripeCheckoutSessionId!)?.status).toBe("expired");
  });
});

describe("a move made in Coachbook, in Cal.com", () => {
  it("same session type: Cal.com's reschedule keeps the uid chain and stays accepted", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[3]);
    const result = await rescheduleBooking({ id: ctx.student.id, role: "STUDENT" }, { bookingId: booking.id, start: ctx.slots[11], timeZone: "UTC" });
    await settle();
    const fresh = await load(result.bookingId);
    expect(fresh).toMatchObject({ status: "CONFIRMED", calcomStatus: "accepted" });
    const remote = cal.state.bookings.get(fresh.calcomBookingUid!)!;
    expect(remote).toMatchObject({ status: "accepted", rescheduledFromUid: booking.calcomBookingUid, start: new Date(ctx.slots[11]).getTime() });
    expect(cal.state.bookings.get(booking.calcomBookingUid!)!.rescheduledToUid).toBe(fresh.calcomBookingUid);
    // The webhooks of our own move changed nothing more.
    expect(await db.booking.count({ where: { rescheduledFromId: result.bookingId } })).toBe(0);
  });

  it("survives Cal.com failing mid-way (the job retries; no second Cal.com booking)", async () => {
    const ctx = await setup();
    const booking = await paid(ctx, ctx.slots[4]);
    cal.faults.failNext(2, { status: 503, method: "POST" });
    const result = await rescheduleBooking({ id: ctx.student.id, role: "STUDENT" }, { bookingId: booking.id, start: ctx.slots[12], timeZone: "UTC", offeringId: ctx.offerings[1].id });
    await settle();
    await db.job.updateMany({ where: { status: "PENDING" }, data: { runAt: new Date(Date.now() - 1000) } });
    await settle();
    const fresh = await load(result.bookingId);
    expect(fresh).toMatchObject({ status: "CONFIRMED", calcomStatus: "accepted" });
    const live = [...cal.state.bookings.values()].filter((b) => (b.metadata.bookingId === booking.id || b.metadata.bookingId === fresh.id) && (b.status === "accepted" || b.status === "pending"));
    expect(live.map((b) => b.uid)).toEqual([fresh.calcomBookingUid]);
    expect(cal.state.bookings.get(booking.calcomBookingUid!)!.status).toBe("cancelled");
    expect((await load(booking.id)).status).toBe("RESCHEDULED");
  });
});
