import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import { confirmFromStripe } from "@/lib/booking/confirm-from-stripe";
import { createBooking } from "@/lib/booking/create";
import { holdSlot } from "@/lib/booking/hold";
import { sweepExpiredHolds } from "@/lib/booking/release";
import { pastGrace, releaseWithoutStripe } from "../support/holds";
import { db } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { drainJobs } from "@/lib/jobs/queue";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

const { stripe, app } = useEmulators({ webhooks: true });
beforeEach(() => stripe.faults.reset());

async function book(daysAhead = 3, hour = 10) {
  const { coach, offerings } = await createCoach();
  const student = await createStudent();
  const created = await createBooking(student, { offeringId: offerings[0].id, start: futureHour(daysAhead, hour).toISOString(), timeZone: "Europe/London" });
  const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
  return { coach, offerings, student, created, booking, sessionId: booking.stripeCheckoutSessionId! };
}

const reload = (id: string) => db.booking.findUniqueOrThrow({ where: { id }, include: { payments: { include: { refunds: true } } } });

describe("hold -> Stripe Checkout -> webhook", () => {
  it("creates a Checkout Session from the server-side price and confirms the booking when paid", async () => {
    const { created, booking, sessionId } = await book();
    expect(created).toMatchObject({ amountMinor: 5000, currency: "eur" });
    expect(created.checkoutUrl).toContain(sessionId);
    const session = await new Stripe("sk_test_x", { ...stripe.sdkConfig() }).checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({ client_reference_id: booking.id, amount_total: 5000, currency: "eur", metadata: { bookingId: booking.id } });
    expect(session.expires_at! - session.created).toBeGreaterThanOrEqual(30 * 60);

    await stripe.pay(sessionId);
    await stripe.waitForDeliveries();
    const after = await reload(booking.id);
    expect(after.status).toBe("CONFIRMED");
    expect(after.holdExpiresAt).toBeNull();
    expect(after.payments).toHaveLength(1);
    expect(after.payments[0]).toMatchObject({ status: "SUCCEEDED", amountMinor: 5000 });
    expect(after.payments[0].stripePaymentIntentId).toMatch(/^pi_/);
    // The Cal.com confirm is queued durably, whatever happens next.
    expect(await db.job.count({ where: { dedupeKey: `calcom-confirm:${booking.id}` } })).toBe(1);
  });

  it("reaches the same final state when every webhook arrives twice and in shuffled order", async () => {
    const { booking, sessionId } = await book(4);
    stripe.faults.duplicateWebhooks = true;
    stripe.faults.holdWebhooks();
    await stripe.pay(sessionId);
    expect(stripe.faults.heldWebhookCount()).toBeGreaterThanOrEqual(2);
    stripe.faults.releaseWebhooks("shuffle");
    await stripe.waitForDeliveries();
    const after = await reload(booking.id);
    expect(after.status).toBe("CONFIRMED");
    expect(after.payments.filter((p) => p.status === "SUCCEEDED")).toHaveLength(1);
    const applied = await db.webhookEvent.findMany({ where: { provider: "STRIPE" } });
    expect(new Set(applied.map((e) => e.eventId)).size).toBe(applied.length);
    // Delivering the whole log again, in reverse, changes nothing.
    for (const delivery of [...stripe.events].reverse()) await stripe.resendEvent(delivery.eventId);
    expect((await reload(booking.id)).status).toBe("CONFIRMED");
    expect(await db.job.count({ where: { kind: "calcom.confirm", payload: { path: ["bookingId"], equals: booking.id } } })).toBe(1);
  });

  it("answers 400 to a forged or stale signature and changes nothing", async () => {
    const { booking, sessionId } = await book(5);
    const event = { id: "evt_forged", object: "event", type: "checkout.session.completed", data: { object: { id: sessionId, object: "checkout.session", client_reference_id: booking.id, payment_status: "paid", amount_total: 5000, currency: "eur" } } };
    const body = JSON.stringify(event);
    const post = (signature: string) => fetch(`${app.url}/api/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body });
    const forged = await post(Stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_not_the_secret" }));
    expect(forged.status).toBe(400);
    expect((await forged.json()).error.code).toBe("INVALID_SIGNATURE");
    const stale = await post(Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripe.webhookSecret, timestamp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(stale.status).toBe(400);
    const missing = await fetch(`${app.url}/api/webhooks/stripe`, { method: "POST", body });
    expect(missing.status).toBe(400);
    expect((await reload(booking.id)).status).toBe("PENDING_PAYMENT");
    expect(await db.webhookEvent.count({ where: { eventId: "evt_forged" } })).toBe(0);
  });

  it("releases an unpaid hold when it expires, expires the Checkout Session and frees the slot", async () => {
    const { booking, sessionId, offerings } = await book(6);
    await db.booking.update({ where: { id: booking.id }, data: { holdExpiresAt: pastGrace() } });
    expect(await sweepExpiredHolds()).toBe(1);
    await drainJobs(JOB_HANDLERS);
    expect((await reload(booking.id)).status).toBe("EXPIRED");
    const session = await new Stripe("sk_test_x", { ...stripe.sdkConfig() }).checkout.sessions.retrieve(sessionId);
    expect(session.status).toBe("expired");
    const other = await createStudent();
    await expect(holdSlot({ studentId: other.id, offeringId: offerings[0].id, start: booking.startsAt, studentTimeZone: "UTC", holdMinutes: 30 })).resolves.toMatchObject({ status: "PENDING_PAYMENT" });
  });

  it("refunds in full a payment that arrives after its hold was released and the slot was taken", async () => {
    const { booking, sessionId, offerings } = await book(7);
    // The hold lapses (the Checkout Session is still open: its expire job has not run yet) and someone else books.
    // Released without asking Stripe (it was unreachable three times), so the session is still open.
    await releaseWithoutStripe(booking.id);
    const other = await createStudent();
    await holdSlot({ studentId: other.id, offeringId: offerings[0].id, start: booking.startsAt, studentTimeZone: "UTC", holdMinutes: 30 });

    await stripe.pay(sessionId);
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);
    const after = await reload(booking.id);
    expect(after.status).toBe("EXPIRED");
    expect(after.cancelReason).toMatch(/refunded in full/);
    expect(after.payments[0]).toMatchObject({ status: "REFUNDED", amountRefundedMinor: 5000 });
    expect(after.payments[0].refunds.map((r) => r.amountMinor)).toEqual([5000]);
  });

  it("confirms a late payment when the released slot is still free", async () => {
    const { booking, sessionId } = await book(8);
    // Released without asking Stripe (it was unreachable three times), so the session is still open.
    await releaseWithoutStripe(booking.id);
    await stripe.pay(sessionId);
    await stripe.waitForDeliveries();
    const after = await reload(booking.id);
    expect(after.status).toBe("CONFIRMED");
    expect(after.payments[0].status).toBe("SUCCEEDED");
  });

  it("confirms by asking Stripe when the webhook is lost (the success page fallback)", async () => {
    const { booking, sessionId, student } = await book(9);
    stripe.faults.dropWebhooks = true;
    await stripe.pay(sessionId);
    expect((await reload(booking.id)).status).toBe("PENDING_PAYMENT");
    const caller = { id: student.id, name: student.name, email: student.email, role: "STUDENT" as const, timeZone: "UTC" };
    const view = await confirmFromStripe(booking.id, caller);
    expect(view.status).toBe("CONFIRMED");
    expect((await confirmFromStripe(booking.id, caller)).status).toBe("CONFIRMED");
    await expect(confirmFromStripe(booking.id, { ...caller, id: "someone-else" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("confirms once and never refunds when the webhook and the success-page fallback race", async () => {
    const refundJobsBefore = await db.job.count({ where: { kind: "stripe.refund" } });
    for (let i = 0; i < 6; i++) {
      const { booking, sessionId, student } = await book(20 + i);
      stripe.faults.holdWebhooks();
      await stripe.pay(sessionId);
      const caller = { id: student.id, name: student.name, email: student.email, role: "STUDENT" as const, timeZone: "UTC" };
      await Promise.all([confirmFromStripe(booking.id, caller), (async () => { stripe.faults.releaseWebhooks(); await stripe.waitForDeliveries(); })()]);
      const after = await reload(booking.id);
      expect(after.status).toBe("CONFIRMED");
      expect(after.cancelReason).toBeNull();
      expect(after.payments.map((p) => p.status)).toEqual(["SUCCEEDED"]);
    }
    expect(await db.job.count({ where: { kind: "stripe.refund" } })).toBe(refundJobsBefore);
  });

  it("does not undo a later cancellation when the paid event is delivered again days later", async () => {
    const { booking, sessionId } = await book(30);
    await stripe.pay(sessionId);
    await stripe.waitForDeliveries();
    await db.booking.update({ where: { id: booking.id }, data: { status: "CANCELLED", cancelReason: "Cancelled by the coach in Cal.com; refunded in full." } });
    const completed = stripe.events.find((e) => e.type === "checkout.session.completed" && (e.event.data.object as { id: string }).id === sessionId)!;
    // Stripe redelivers with the same event id (deduplicated) — and a replayed copy under a new id must not matter either.
    await stripe.resendEvent(completed.eventId);
    const event = { ...completed.event, id: "evt_replayed_copy" };
    const body = JSON.stringify(event);
    const res = await fetch(`${app.url}/api/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripe.webhookSecret }) }, body });
    expect(res.status).toBe(200);
    const after = await reload(booking.id);
    expect(after.status).toBe("CANCELLED");
    expect(await db.job.count({ where: { kind: "stripe.refund", payload: { path: ["paymentId"], equals: after.payments[0].id } } })).toBe(0);
  });

  it("releases the hold when a delayed payment fails", async () => {
    // Far enough ahead for Checkout to offer a delayed payment method (lib/payments/checkout.ts).
    const { booking, sessionId } = await book(20);
    await stripe.pay(sessionId, { asyncPayment: "failed" });
    await stripe.waitForDeliveries();
    const after = await reload(booking.id);
    expect(after.status).toBe("PAYMENT_FAILED");
    expect(after.payments[0].status).toBe("FAILED");
  });

  it("holds nothing when Stripe cannot create the Checkout Session (the session comes before the hold)", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    stripe.faults.failNext(5, 500);
    const start = futureHour(11);
    await expect(createBooking(student, { offeringId: offerings[0].id, start: start.toISOString(), timeZone: "UTC" })).rejects.toMatchObject({ code: "UPSTREAM_ERROR" });
    expect(await db.booking.count({ where: { offeringId: offerings[0].id } })).toBe(0);
    stripe.faults.reset();
    await expect(createBooking(student, { offeringId: offerings[0].id, start: start.toISOString(), timeZone: "UTC" })).resolves.toMatchObject({ amountMinor: 5000 });
  });

  it("writes the hold with its Checkout Session and PENDING payment at once", async () => {
    const { booking, sessionId, created } = await book(13);
    expect(booking).toMatchObject({ status: "PENDING_PAYMENT", checkoutUrl: created.checkoutUrl });
    expect(sessionId).toMatch(/^cs_test_/);
    const payments = await db.payment.findMany({ where: { bookingId: booking.id } });
    expect(payments).toEqual([expect.objectContaining({ status: "PENDING", amountMinor: 5000, currency: "eur", stripeCheckoutSessionId: sessionId })]);
  });

  it("records refunds and disputes reported by Stripe", async () => {
    const { booking, sessionId } = await book(12);
    await stripe.pay(sessionId);
    await stripe.waitForDeliveries();
    const payment = (await reload(booking.id)).payments[0];
    const sdk = new Stripe("sk_test_x", { ...stripe.sdkConfig() });
    await sdk.refunds.create({ payment_intent: payment.stripePaymentIntentId!, amount: 1500 });
    await stripe.waitForDeliveries();
    const after = await reload(booking.id);
    expect(after.payments[0]).toMatchObject({ status: "PARTIALLY_REFUNDED", amountRefundedMinor: 1500 });
    expect(after.payments[0].refunds.map((r) => r.amountMinor)).toEqual([1500]);
  });

  it("records a dispute on the payment (signed event, applied once)", async () => {
    const { booking, sessionId } = await book(13);
    await stripe.pay(sessionId);
    await stripe.waitForDeliveries();
    const payment = (await reload(booking.id)).payments[0];
    const event = { id: "evt_dispute_1", object: "event", type: "charge.dispute.created", created: Math.floor(Date.now() / 1000), data: { object: { id: "dp_1", object: "dispute", payment_intent: payment.stripePaymentIntentId, status: "needs_response", amount: 5000, currency: "eur" } } };
    const body = JSON.stringify(event);
    const send = () => fetch(`${app.url}/api/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripe.webhookSecret }) }, body });
    expect((await (await send()).json()).outcome).toBe("applied");
    expect((await (await send()).json()).outcome).toBe("duplicate");
    expect((await reload(booking.id)).payments[0].disputeStatus).toBe("needs_response");
  });
});
