import { beforeEach, describe, expect, it } from "vitest";
import { cancelBooking } from "@/lib/booking/cancel";
import { confirmFromStripe } from "@/lib/booking/confirm-from-stripe";
import { createBooking } from "@/lib/booking/create";
import { holdSlot } from "@/lib/booking/hold";
import { rescheduleBooking } from "@/lib/booking/reschedule";
import { sweepExpiredHolds } from "@/lib/booking/release";
import { db } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { drainJobs } from "@/lib/jobs/queue";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { pastGrace } from "../support/holds";
import { useEmulators } from "../support/emulators";

/**
 * Reschedule (POST /api/calcom/reschedule-booking, lib/booking/reschedule*.ts) against real PostgreSQL and the Stripe
 * emulator: same price, cheaper (refund), dearer (difference paid through Checkout, or expiring unpaid), moves onto
 * the booking's own old time, repeats, concurrency, currencies, cut-off and limit, and webhook replays.
 */
const { stripe } = useEmulators({ webhooks: true });
beforeEach(() => stripe.faults.reset());

const H = 3_600_000;

/** A coach with a 60-min offering at 5000 plus cheaper (3000), dearer (8000) and USD (5000) ones; one paid booking. */
async function paidBooking(daysAhead = 3) {
  const fixture = await createCoach({
    offerings: [
      { title: "A standard", priceMinor: 5000, durationMinutes: 60 },
      { title: "B cheaper", priceMinor: 3000, durationMinutes: 60 },
      { title: "C dearer", priceMinor: 8000, durationMinutes: 90 },
      { title: "D dollars", priceMinor: 5000, currency: "usd" },
    ],
  });
  const [standard, cheaper, dearer, dollars] = fixture.offerings;
  const student = await createStudent();
  const created = await createBooking(student, { offeringId: standard.id, start: futureHour(daysAhead).toISOString(), timeZone: "Europe/London" });
  const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
  await stripe.pay(booking.stripeCheckoutSessionId!);
  await stripe.waitForDeliveries();
  await drainJobs(JOB_HANDLERS);
  return { ...fixture, standard, cheaper, dearer, dollars, student, booking: await db.booking.findUniqueOrThrow({ where: { id: booking.id } }), asStudent: { id: student.id, role: "STUDENT" as const }, asCoach: { id: fixture.user.id, role: "COACH" as const } };
}

const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000).toISOString();
const load = (id: string) => db.booking.findUniqueOrThrow({ where: { id }, include: { payments: { include: { refunds: true } } } });

describe("same price and cheaper", () => {
  it("moves a same-price booking at once (even onto its own old time), links both ways, and repeats answer the same", async () => {
    const { booking, coach, asStudent } = await paidBooking();
    await db.coachProfile.update({ where: { id: coach.id }, data: { slotIntervalMinutes: 30 } });
    const input = { bookingId: booking.id, start: at(booking.startsAt, 30), timeZone: "America/New_York" };
    const dry = await rescheduleBooking(asStudent, { ...input, dryRun: true });
    expect(dry).toMatchObject({ status: "RESCHEDULED", difference: { amountMinor: 0, currency: "eur" } });
    expect((await load(booking.id)).status).toBe("CONFIRMED");
    expect(await db.booking.count({ where: { rescheduledFromId: booking.id } })).toBe(0);

    const moved = await rescheduleBooking(asStudent, input);
    expect(moved).toMatchObject({ status: "RESCHEDULED", difference: { amountMinor: 0, currency: "eur" }, startsAt: input.start });
    expect(moved.bookingId).not.toBe(booking.id);
    const old = await load(booking.id);
    const fresh = await load(moved.bookingId);
    expect(old).toMatchObject({ status: "RESCHEDULED", rescheduledToId: fresh.id, endedBy: "STUDENT", payments: [] });
    expect(fresh).toMatchObject({ status: "CONFIRMED", rescheduledFromId: old.id, seriesId: old.id, rescheduleCount: 1, rescheduledBy: "STUDENT", studentTimeZone: "America/New_York", policy: old.policy });
    expect(fresh.payments).toHaveLength(1);
    expect(await rescheduleBooking(asStudent, input)).toEqual(moved);
    // Both people are told once, with the old time, under the chain's calendar event (its SEQUENCE continues).
    const mails = await db.job.findMany({ where: { kind: "mail.send", payload: { path: ["bookingId"], equals: fresh.id } } });
    const rescheduled = mails.filter((m) => (m.payload as { event: string }).event === "booking.rescheduled");
    expect(rescheduled.map((m) => (m.payload as { recipient: string }).recipient).sort()).toEqual(["coach", "student"]);
    expect((rescheduled[0].payload as { extra: { previousStartsAt: string } }).extra.previousStartsAt).toBe(booking.startsAt.toISOString());
    expect((await load(fresh.id)).icsSequence).toBe(old.icsSequence + 1);
    await expect(rescheduleBooking(asStudent, { ...input, start: at(booking.startsAt, 120) })).rejects.toMatchObject({ code: "INVALID_STATE" });
    // The money followed the session: cancelling the new booking refunds the original payment.
    const cancelled = await cancelBooking(asStudent, { bookingId: fresh.id }, new Date(fresh.startsAt.getTime() - 48 * H));
    expect(cancelled.refund.amountMinor).toBe(5000);
  });

  it("moves to a cheaper session and refunds the difference once", async () => {
    const { booking, cheaper, asStudent } = await paidBooking();
    const input = { bookingId: booking.id, start: at(booking.startsAt, 24 * 60), timeZone: "UTC", offeringId: cheaper.id };
    const dry = await rescheduleBooking(asStudent, { ...input, dryRun: true });
    const moved = await rescheduleBooking(asStudent, input);
    expect(dry).toEqual({ ...moved, bookingId: dry.bookingId });
    expect(moved.difference).toEqual({ amountMinor: -2000, currency: "eur" });
    await rescheduleBooking(asStudent, input);
    await drainJobs(JOB_HANDLERS);
    const fresh = await load(moved.bookingId);
    expect(fresh.priceMinor).toBe(3000);
    const refunds = fresh.payments.flatMap((p) => p.refunds);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amountMinor: 2000, reason: "reschedule-difference", status: "succeeded" });
    // A later full refund never exceeds what is left.
    const cancelled = await cancelBooking({ id: fresh.coachId, role: "ADMIN" }, { bookingId: fresh.id });
    expect(cancelled.refund.amountMinor).toBe(3000);
  });
});

describe("dearer", () => {
  it("holds the new slot while the original stays booked, then moves when the difference is paid (webhooks replayed)", async () => {
    const { booking, dearer, asStudent, asCoach } = await paidBooking();
    const input = { bookingId: booking.id, start: at(booking.startsAt, 30), timeZone: "UTC", offeringId: dearer.id };
    const dry = await rescheduleBooking(asStudent, { ...input, dryRun: true });
    expect(dry).toMatchObject({ status: "AWAITING_PAYMENT", difference: { amountMinor: 3000, currency: "eur" } });
    expect(dry.checkoutUrl).toBeUndefined();
    const [first, second] = await Promise.all([rescheduleBooking(asStudent, input), rescheduleBooking(asStudent, input)]);
    expect(first).toMatchObject({ bookingId: booking.id, status: "AWAITING_PAYMENT", difference: { amountMinor: 3000 } });
    expect(second.pendingBookingId).toBe(first.pendingBookingId);
    expect(second.checkoutUrl).toBe(first.checkoutUrl);
    expect(await db.booking.count({ where: { rescheduledFromId: booking.id } })).toBe(1);
    expect((await load(booking.id)).status).toBe("CONFIRMED");
    const hold = await load(first.pendingBookingId!);
    expect(hold).toMatchObject({ status: "PENDING_PAYMENT", priceMinor: 8000 });
    // Another student cannot take the held time.
    const other = await createStudent();
    await expect(holdSlot({ studentId: other.id, offeringId: dearer.id, start: new Date(input.start), studentTimeZone: "UTC", holdMinutes: 30 })).rejects.toMatchObject({ code: "SLOT_TAKEN" });

    stripe.faults.duplicateWebhooks = true;
    await stripe.pay(hold.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    for (const delivery of [...stripe.events].reverse()) await stripe.resendEvent(delivery.eventId);
    await drainJobs(JOB_HANDLERS);
    const moved = await load(hold.id);
    expect(moved).toMatchObject({ status: "CONFIRMED", rescheduledFromId: booking.id, rescheduleCount: 1 });
    expect(moved.payments.map((p) => [p.kind, p.amountMinor, p.status]).sort()).toEqual([["BOOKING", 5000, "SUCCEEDED"], ["RESCHEDULE_DIFFERENCE", 3000, "SUCCEEDED"]]);
    expect(await load(booking.id)).toMatchObject({ status: "RESCHEDULED", rescheduledToId: hold.id });
    expect(await rescheduleBooking(asStudent, input)).toMatchObject({ status: "RESCHEDULED", bookingId: hold.id, difference: { amountMinor: 3000 } });
    // A coach cancellation refunds both charges, newest first.
    const cancelled = await cancelBooking(asCoach, { bookingId: hold.id });
    expect(cancelled.refund.amountMinor).toBe(8000);
  });

  it("a different move replaces one still waiting for payment: the old hold is released and its session expired", async () => {
    const { booking, dearer, asStudent } = await paidBooking();
    const first = await rescheduleBooking(asStudent, { bookingId: booking.id, start: at(booking.startsAt, 60 * 26), timeZone: "UTC", offeringId: dearer.id });
    const second = await rescheduleBooking(asStudent, { bookingId: booking.id, start: at(booking.startsAt, 60 * 29), timeZone: "UTC", offeringId: dearer.id });
    expect(second.pendingBookingId).not.toBe(first.pendingBookingId);
    await drainJobs(JOB_HANDLERS);
    const replaced = await load(first.pendingBookingId!);
    expect(replaced.status).toBe("CANCELLED");
    expect(stripe.state.checkoutSessions.get(replaced.stripeCheckoutSessionId!)?.status).toBe("expired");
    expect((await load(second.pendingBookingId!)).status).toBe("PENDING_PAYMENT");
    expect((await load(booking.id)).status).toBe("CONFIRMED");
  });

  it("an unpaid difference expires and leaves the original booking as it was", async () => {
    const { booking, dearer, asStudent } = await paidBooking();
    const pending = await rescheduleBooking(asStudent, { bookingId: booking.id, start: at(booking.startsAt, 60 * 26), timeZone: "UTC", offeringId: dearer.id });
    await db.booking.update({ where: { id: pending.pendingBookingId! }, data: { holdExpiresAt: pastGrace() } });
    expect(await sweepExpiredHolds()).toBe(1);
    await drainJobs(JOB_HANDLERS);
    expect((await load(pending.pendingBookingId!)).status).toBe("EXPIRED");
    const original = await load(booking.id);
    expect(original).toMatchObject({ status: "CONFIRMED", startsAt: booking.startsAt, rescheduledToId: null });
    expect(original.payments[0].refunds).toEqual([]);
  });

  it("a difference paid after the original was cancelled is refunded and the move is not made", async () => {
    const { booking, dearer, asStudent } = await paidBooking();
    const pending = await rescheduleBooking(asStudent, { bookingId: booking.id, start: at(booking.startsAt, 60 * 29), timeZone: "UTC", offeringId: dearer.id });
    const hold = await load(pending.pendingBookingId!);
    // The student pays; the webhook is late, and meanwhile the original booking is cancelled (which ends the hold).
    stripe.faults.holdWebhooks();
    await stripe.pay(hold.stripeCheckoutSessionId!);
    await cancelBooking(asStudent, { bookingId: booking.id }, new Date(booking.startsAt.getTime() - 48 * H));
    stripe.faults.releaseWebhooks();
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);
    const after = await load(hold.id);
    expect(after.status).toBe("CANCELLED");
    expect(await load(booking.id)).toMatchObject({ status: "CANCELLED", rescheduledToId: null });
    const paid = after.payments.filter((p) => p.status !== "PENDING" && p.status !== "FAILED");
    expect(paid.map((p) => [p.kind, p.amountMinor])).toEqual([["RESCHEDULE_DIFFERENCE", 3000]]);
    for (const p of paid) expect(p.refunds.reduce((s, r) => s + r.amountMinor, 0)).toBe(p.amountMinor);
  });
});

describe("races", () => {
  it.each([0, 1, 2])("a cancel racing the difference payment ends consistent (run %i): moved or refunded, never both", async (run) => {
    const { booking, dearer, asStudent } = await paidBooking(4 + run);
    const pending = await rescheduleBooking(asStudent, { bookingId: booking.id, start: at(booking.startsAt, 60 * 26), timeZone: "UTC", offeringId: dearer.id });
    const hold = await load(pending.pendingBookingId!);
    stripe.faults.holdWebhooks();
    await stripe.pay(hold.stripeCheckoutSessionId!);
    const outcomes = await Promise.allSettled([
      confirmFromStripe(hold.id, { id: asStudent.id, role: "STUDENT", name: "s", email: "s@example.com", timeZone: "UTC" }),
      cancelBooking(asStudent, { bookingId: booking.id }, new Date(booking.startsAt.getTime() - 48 * H)),
    ]);
    stripe.faults.releaseWebhooks();
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);
    const original = await load(booking.id);
    const moved = await load(hold.id);
    // Deadlocks would surface as rejected promises with a database error; only the "already moved" 409 is allowed.
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ code: "INVALID_STATE" });
    if (original.status === "RESCHEDULED") {
      expect(moved.status).toBe("CONFIRMED");
      expect(moved.payments.flatMap((p) => p.refunds)).toEqual([]);
    } else {
      expect(original.status).toBe("CANCELLED");
      expect(moved.status).toBe("CANCELLED");
      const refundedTotal = [...original.payments, ...moved.payments].flatMap((p) => p.refunds).reduce((s, r) => s + r.amountMinor, 0);
      expect(refundedTotal).toBe(5000 + 3000);
    }
  });
});

describe("rules", () => {
  it("refuses another currency with 400, and a time that is taken with 409", async () => {
    const { booking, dollars, standard, asStudent } = await paidBooking();
    await expect(rescheduleBooking(asStudent, { bookingId: booking.id, start: at(booking.startsAt, 60 * 24), timeZone: "UTC", offeringId: dollars.id })).rejects.toMatchObject({ code: "BAD_REQUEST", status: 400 });
    const other = await createStudent();
    const taken = new Date(booking.startsAt.getTime() + 3 * H);
    await holdSlot({ studentId: other.id, offeringId: standard.id, start: taken, studentTimeZone: "UTC", holdMinutes: 30 });
    await expect(rescheduleBooking(asStudent, { bookingId: booking.id, start: at(taken, 30), timeZone: "UTC" })).rejects.toMatchObject({ code: "SLOT_TAKEN" });
    expect((await load(booking.id)).status).toBe("CONFIRMED");
  });

  it("applies the cut-off and the limit to the student (to the second), not to the coach", async () => {
    const { booking, asStudent, asCoach } = await paidBooking();
    const cutoff = new Date(booking.startsAt.getTime() - 12 * H);
    const input = { bookingId: booking.id, start: at(booking.startsAt, 60 * 24), timeZone: "UTC" };
    await expect(rescheduleBooking(asStudent, input, new Date(cutoff.getTime() + 1000))).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/12 hours/) });
    await expect(rescheduleBooking(asStudent, { ...input, dryRun: true }, cutoff)).resolves.toMatchObject({ status: "RESCHEDULED" });
    const byCoach = await rescheduleBooking(asCoach, input, new Date(cutoff.getTime() + 1000));
    // Moved twice more by the student: the third student move is over the limit of 2.
    const second = await rescheduleBooking(asStudent, { bookingId: byCoach.bookingId, start: at(booking.startsAt, 60 * 25), timeZone: "UTC" });
    await expect(rescheduleBooking(asStudent, { bookingId: second.bookingId, start: at(booking.startsAt, 60 * 26), timeZone: "UTC" })).rejects.toMatchObject({ message: expect.stringMatching(/moved 2 times/) });
    await expect(rescheduleBooking({ id: (await createStudent()).id, role: "STUDENT" }, { ...input, bookingId: second.bookingId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a session that has started", async () => {
    const { booking, asCoach } = await paidBooking();
    await expect(rescheduleBooking(asCoach, { bookingId: booking.id, start: at(booking.startsAt, 60 * 24), timeZone: "UTC" }, new Date(booking.startsAt.getTime() + 1000))).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/started/) });
  });
});
