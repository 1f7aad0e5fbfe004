import Stripe from "stripe";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { bookingStatusView } from "@/lib/booking/confirm-from-stripe";
import { createBooking } from "@/lib/booking/create";
import { holdSlot } from "@/lib/booking/hold";
import { sweepExpiredHolds } from "@/lib/booking/release";
import { findSlots } from "@/lib/booking/slots";
import { db } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { drainJobs } from "@/lib/jobs/queue";
import { reconcile } from "@/lib/ops/reconcile";
import { refundBooking, requestRefund } from "@/lib/payments/ledger";
import { STRIPE_API_VERSION } from "@/lib/payments/stripe";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { pastGrace } from "../support/holds";
import { checkInvariants, NO_VIOLATIONS, ReliabilityReport } from "../support/invariants";
import { useEmulators } from "../support/emulators";

/**
 * Issue #7 scenarios on real PostgreSQL and the Stripe emulator. Stripe behaviours relied on, with their sources:
 * - completed + payment_status "unpaid" means a delayed method; async_payment_succeeded/_failed follow days later
 *   (../shared/stripe/NOTES.md section 1, webhook table; docs.stripe.com/checkout/fulfillment);
 * - a refund can stay pending and fail later, with refund.failed (NOTES.md section 3; docs.stripe.com/refunds);
 * - events arrive more than once and in any order (NOTES.md section 2);
 * - an idempotency key replayed with different parameters is an error, so each key is bound to one amount (NOTES.md section 3).
 */
const { stripe, app } = useEmulators({ webhooks: true });
const report = new ReliabilityReport("payments");

beforeEach(() => stripe.faults.reset());
afterEach(async () => {
  await stripe.waitForDeliveries();
  await drainJobs(JOB_HANDLERS);
});
afterAll(() => report.write());

const sdk = () => new Stripe("sk_test_x", { ...stripe.sdkConfig() });
const reload = (id: string) => db.booking.findUniqueOrThrow({ where: { id }, include: { payments: { include: { refunds: true } } } });

async function book(daysAhead = 3, hour = 10) {
  const { coach, offerings } = await createCoach();
  const student = await createStudent();
  const created = await createBooking(student, { offeringId: offerings[0].id, start: futureHour(daysAhead, hour).toISOString(), timeZone: "Europe/London" });
  const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
  return { coach, offerings, student, booking, sessionId: booking.stripeCheckoutSessionId! };
}

async function settle() {
  await stripe.waitForDeliveries();
  await drainJobs(JOB_HANDLERS);
  await stripe.waitForDeliveries();
  await drainJobs(JOB_HANDLERS);
}

async function verify(name: string, faults: string[]) {
  await settle();
  const violations = await checkInvariants({ stripe });
  report.add(name, faults, violations);
  expect(violations).toEqual(NO_VIOLATIONS);
}

async function signedPost(event: Record<string, unknown>) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret });
  return fetch(`${app.url}/api/webhooks/stripe`, { method: "POST", headers: { "stripe-signature": signature, "content-type": "application/json" }, body: payload });
}

describe("delayed payment methods", () => {
  it("offers delayed methods only when the session is far enough away", async () => {
    const near = await book(3);
    const far = await book(20);
    expect((await sdk().checkout.sessions.retrieve(near.sessionId)).payment_method_types).toEqual(["card"]);
    expect((await sdk().checkout.sessions.retrieve(far.sessionId)).payment_method_types).toContain("sepa_debit");
    await expect(stripe.pay(near.sessionId, { asyncPayment: "succeeded" })).rejects.toThrow(/delayed-notification payment method is not available/);
    await verify("delayed methods only far ahead", []);
  });

  it("keeps the slot while funds are on their way: completed/unpaid, the sweep, then succeeded days later", async () => {
    const { booking, sessionId } = await book(20);
    await stripe.pay(sessionId, { asyncPayment: "succeeded", settle: "manual" });
    await stripe.waitForDeliveries();
    let after = await reload(booking.id);
    expect(after.status).toBe("AWAITING_FUNDS");
    // The hold's deadline moved to a day before the session: the 30-minute sweep does not touch it.
    expect(after.holdExpiresAt!.getTime()).toBe(booking.startsAt.getTime() - 24 * 3_600_000);
    expect(await sweepExpiredHolds()).toBe(0);
    await drainJobs(JOB_HANDLERS);
    // The time is not offered to anyone else meanwhile, and cannot be taken.
    const offered = await findSlots({ coachId: booking.coachId, offeringId: booking.offeringId, from: new Date(booking.startsAt.getTime() - 3_600_000), to: new Date(booking.startsAt.getTime() + 7_200_000), timeZone: "UTC" });
    expect(offered.slots.map((slot) => slot.start)).not.toContain(booking.startsAt.toISOString());
    const other = await createStudent();
    await expect(holdSlot({ studentId: other.id, offeringId: booking.offeringId, start: booking.startsAt, studentTimeZone: "UTC", holdMinutes: 30 })).rejects.toMatchObject({ code: "SLOT_TAKEN" });
    await stripe.settleAsyncPayment(sessionId, "succeeded");
    await stripe.waitForDeliveries();
    after = await reload(booking.id);
    expect(after.status).toBe("CONFIRMED");
    expect(after.payments[0]).toMatchObject({ status: "SUCCEEDED", amountRefundedMinor: 0 });
    await verify("delayed payment succeeds days later", ["delayed settlement", "sweep in between"]);
  });

  it("releases the slot when delayed funds fail days later", async () => {
    const { booking, sessionId } = await book(21);
    await stripe.pay(sessionId, { asyncPayment: "failed", settle: "manual" });
    await stripe.waitForDeliveries();
    await sweepExpiredHolds();
    await stripe.settleAsyncPayment(sessionId, "failed");
    await stripe.waitForDeliveries();
    const after = await reload(booking.id);
    expect(after).toMatchObject({ status: "PAYMENT_FAILED", endedBy: "SYSTEM" });
    expect(after.payments[0].status).toBe("FAILED");
    await verify("delayed payment fails", ["delayed settlement"]);
  });

  it("releases at the funds deadline, then refunds money that arrives after the time was taken", async () => {
    const { booking, sessionId, offerings } = await book(22);
    await stripe.pay(sessionId, { asyncPayment: "succeeded", settle: "manual" });
    await stripe.waitForDeliveries();
    expect((await reload(booking.id)).status).toBe("AWAITING_FUNDS");
    // The deadline passes with no money.
    await db.booking.update({ where: { id: booking.id }, data: { holdExpiresAt: pastGrace() } });
    expect(await sweepExpiredHolds()).toBe(1);
    await drainJobs(JOB_HANDLERS);
    expect((await reload(booking.id)).status).toBe("EXPIRED");
    const other = await createStudent();
    await holdSlot({ studentId: other.id, offeringId: offerings[0].id, start: booking.startsAt, studentTimeZone: "UTC", holdMinutes: 30 });
    await stripe.settleAsyncPayment(sessionId, "succeeded");
    await settle();
    const after = await reload(booking.id);
    expect(after.status).toBe("EXPIRED");
    expect(after.payments[0]).toMatchObject({ status: "REFUNDED", amountRefundedMinor: 5000 });
    expect(after.payments[0].refunds).toHaveLength(1);
    expect(after.payments[0].refunds[0]).toMatchObject({ status: "succeeded", reason: "paid-too-late" });
    await verify("funds after deadline and slot taken", ["delayed settlement", "deadline passed", "slot re-booked"]);
  });
});

describe("paid at the last second", () => {
  it("applies a session paid just before the sweep instead of releasing it (the webhook is late)", async () => {
    const { booking, sessionId } = await book(4);
    stripe.faults.holdWebhooks();
    await stripe.pay(sessionId);
    await db.booking.update({ where: { id: booking.id }, data: { holdExpiresAt: pastGrace() } });
    expect(await sweepExpiredHolds()).toBe(1);
    await drainJobs(JOB_HANDLERS);
    let after = await reload(booking.id);
    expect(after.status).toBe("CONFIRMED");
    expect(after.endedBy).toBeNull();
    // No refund, no release job.
    expect(after.payments[0].refunds).toHaveLength(0);
    expect(await db.job.count({ where: { dedupeKey: `calcom-release:${booking.id}` } })).toBe(0);
    // The late webhooks change nothing.
    stripe.faults.releaseWebhooks("shuffle");
    await settle();
    after = await reload(booking.id);
    expect(after.status).toBe("CONFIRMED");
    report.count("webhooks held then released");
    await verify("paid at the last second", ["webhooks held", "sweep before webhook"]);
  });

  it("waits out the grace period before releasing a hold", async () => {
    const { booking } = await book(5);
    await db.booking.update({ where: { id: booking.id }, data: { holdExpiresAt: new Date(Date.now() - 5_000) } });
    expect(await sweepExpiredHolds()).toBe(0);
    expect((await reload(booking.id)).status).toBe("PENDING_PAYMENT");
  });
});

describe("refunds that fail", () => {
  it("shows a pending refund as pending, and a failed one as failed: the ledger goes back and an operator sees it", async () => {
    const { booking, sessionId } = await book(6);
    await stripe.pay(sessionId);
    await settle();
    stripe.faults.pendingRefunds = 1;
    await db.$transaction((tx) => refundBooking(tx, booking.id, null, "admin-cancelled", `test:${booking.id}`));
    await settle();
    let after = await reload(booking.id);
    expect(after.payments[0].refunds[0]).toMatchObject({ status: "pending", amountMinor: 5000 });
    expect((await bookingStatusView(booking.id)).refund).toMatchObject({ state: "pending", pendingMinor: 5000, refundedMinor: 0 });

    await stripe.settleRefund(after.payments[0].refunds[0].stripeRefundId!, "failed", "expired_or_canceled_card");
    await settle();
    after = await reload(booking.id);
    expect(after.payments[0]).toMatchObject({ status: "SUCCEEDED", amountRefundedMinor: 0 });
    expect(after.payments[0].refunds[0]).toMatchObject({ status: "failed", failureReason: "expired_or_canceled_card" });
    const view = await bookingStatusView(booking.id);
    expect(view.refund).toMatchObject({ state: "failed", refundedMinor: 0, failedMinor: 5000 });
    expect(view.refundedMinor).toBe(0);
    const finding = await db.opsFinding.findFirstOrThrow({ where: { kind: "refund-failed", bookingId: booking.id } });
    expect(finding.detail).toMatch(/did not go through/);
    report.count("refunds failed at Stripe");
  });

  it("marks a refund Stripe refuses as failed instead of retrying it forever", async () => {
    const { booking, sessionId } = await book(7);
    await stripe.pay(sessionId);
    await settle();
    // Refunded behind our back (e.g. in the Dashboard), so our own refund is refused with charge_already_refunded.
    const payment = await db.payment.findFirstOrThrow({ where: { bookingId: booking.id } });
    stripe.faults.dropWebhooks = true;
    await sdk().refunds.create({ payment_intent: payment.stripePaymentIntentId! });
    stripe.faults.dropWebhooks = false;
    await db.$transaction((tx) => requestRefund(tx, { paymentId: payment.id, amountMinor: null, reason: "refund", key: "refused" }));
    await drainJobs(JOB_HANDLERS);
    const refund = await db.refund.findFirstOrThrow({ where: { paymentId: payment.id, idempotencyKey: { not: null } } });
    expect(refund).toMatchObject({ status: "failed" });
    expect(refund.failureReason).toMatch(/charge_already_refunded/);
    expect(await db.job.count({ where: { status: "DEAD" } })).toBe(0);
  });

  it("binds each idempotency key to one amount and never refunds twice for one decision", async () => {
    const { booking, sessionId } = await book(8);
    await stripe.pay(sessionId);
    await settle();
    const payment = await db.payment.findFirstOrThrow({ where: { bookingId: booking.id } });
    const first = await db.$transaction((tx) => requestRefund(tx, { paymentId: payment.id, amountMinor: 2000, reason: "student-cancelled", key: `cancel:${booking.id}` }));
    // The same decision again (a retried request) with another amount: the recorded one stands.
    const again = await db.$transaction((tx) => requestRefund(tx, { paymentId: payment.id, amountMinor: 3000, reason: "student-cancelled", key: `cancel:${booking.id}` }));
    expect(again).toMatchObject({ refundId: first!.refundId, amountMinor: 2000, created: false });
    // Two concurrent decisions for more than is left: the payment row lock lets only what remains through.
    await Promise.all([
      db.$transaction((tx) => requestRefund(tx, { paymentId: payment.id, amountMinor: 3000, reason: "refund", key: "a" })),
      db.$transaction((tx) => requestRefund(tx, { paymentId: payment.id, amountMinor: 3000, reason: "refund", key: "b" })),
    ]);
    await settle();
    const refunds = await db.refund.findMany({ where: { paymentId: payment.id } });
    expect(refunds.reduce((sum, r) => sum + r.amountMinor, 0)).toBe(5000);
    const remote = [...stripe.state.refunds.values()].filter((r) => r.payment_intent === payment.stripePaymentIntentId);
    expect(remote.map((r) => r.amount).sort()).toEqual(refunds.map((r) => r.amountMinor).sort());
    expect(remote.find((r) => r.metadata.refundId === first!.refundId)).toMatchObject({ amount: 2000, reason: "requested_by_customer", metadata: { reason: "student-cancelled" } });
    await verify("concurrent refund decisions", ["concurrent requests", "repeated request"]);
  });
});

describe("amounts and early events", () => {
  it("never confirms a session whose amount differs from the price: refunded in full and flagged", async () => {
    const { booking } = await book(9);
    // A second Checkout Session for the same booking, made outside our code with another price, is paid.
    const tampered = await sdk().checkout.sessions.create({
      mode: "payment",
      client_reference_id: booking.id,
      metadata: { bookingId: booking.id },
      line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: 100, product_data: { name: "1 euro" } } }],
      success_url: "http://127.0.0.1:3999/ok",
    });
    await stripe.pay(tampered.id);
    await settle();
    const after = await reload(booking.id);
    expect(after.status).toBe("CANCELLED");
    expect(after.endedBy).toBe("SYSTEM");
    const paid = after.payments.find((p) => p.stripeCheckoutSessionId === tampered.id)!;
    expect(paid).toMatchObject({ amountMinor: 100, status: "REFUNDED" });
    expect(paid.refunds[0]).toMatchObject({ reason: "amount-mismatch", status: "succeeded", amountMinor: 100 });
    expect([...stripe.state.refunds.values()].find((r) => r.metadata.refundId === paid.refunds[0].id)?.reason).toBe("duplicate");
    expect(await db.opsFinding.count({ where: { kind: "amount-mismatch", bookingId: booking.id } })).toBe(1);
    await verify("amount mismatch", ["tampered session"]);
  });

  it("answers non-2xx to a refund or dispute event for a payment not recorded yet, then applies it on redelivery", async () => {
    const { booking } = await book(10);
    const refundEvent = {
      id: "evt_early_refund",
      object: "event",
      api_version: STRIPE_API_VERSION,
      created: Math.floor(Date.now() / 1000),
      type: "refund.created",
      data: { object: { id: "re_early", object: "refund", amount: 1000, currency: "eur", payment_intent: "pi_not_yet", status: "succeeded", metadata: { bookingId: booking.id } } },
    };
    const early = await signedPost(refundEvent);
    expect(early.status).toBe(503);
    expect(await db.webhookEvent.count({ where: { eventId: "evt_early_refund" } })).toBe(0);
    const disputeEvent = { ...refundEvent, id: "evt_early_dispute", type: "charge.dispute.created", data: { object: { id: "dp_1", object: "dispute", payment_intent: "pi_not_yet", status: "needs_response", metadata: {} } } };
    expect((await signedPost(disputeEvent)).status).toBe(503);
    // The payment is recorded (the session completed), then Stripe delivers both again.
    await db.payment.updateMany({ where: { bookingId: booking.id }, data: { status: "SUCCEEDED", stripePaymentIntentId: "pi_not_yet" } });
    await db.booking.update({ where: { id: booking.id }, data: { status: "CONFIRMED", holdExpiresAt: null } });
    expect((await signedPost(refundEvent)).status).toBe(200);
    expect((await signedPost(disputeEvent)).status).toBe(200);
    const payment = await db.payment.findFirstOrThrow({ where: { bookingId: booking.id }, include: { refunds: true } });
    expect(payment).toMatchObject({ amountRefundedMinor: 1000, status: "PARTIALLY_REFUNDED", disputeStatus: "needs_response" });
    expect(payment.refunds).toHaveLength(1);
    // A refund event that names no booking of ours is acknowledged and ignored.
    const foreign = { ...refundEvent, id: "evt_foreign", data: { object: { ...refundEvent.data.object, id: "re_foreign", payment_intent: "pi_other", metadata: {} } } };
    expect((await signedPost(foreign)).status).toBe(200);
    report.count("early events answered 503", 2);
  });

  it("refuses a correctly signed event without a data object with 400", async () => {
    const response = await signedPost({ id: "evt_null", object: "event", type: "checkout.session.completed", created: 1, data: null });
    expect(response.status).toBe(400);
  });
});

describe("webhook storms and the reconciler", () => {
  it("reaches the same books with every event delivered 1-5 times in shuffled order over many bookings", async () => {
    const bookings = await Promise.all([11, 12, 13, 14, 15, 16].map((d) => book(d)));
    stripe.faults.holdWebhooks();
    for (const [i, b] of bookings.entries()) {
      if (i % 3 === 0) await stripe.pay(b.sessionId);
      else if (i % 3 === 1) {
        await stripe.pay(b.sessionId);
        await db.$transaction((tx) => refundBooking(tx, b.booking.id, 1500, "refund", `partial:${b.booking.id}`)).catch(() => null);
      } else await sdk().checkout.sessions.expire(b.sessionId);
    }
    stripe.faults.releaseWebhooks("shuffle");
    await settle();
    const events = [...stripe.state.events.values()];
    let replays = 0;
    for (const event of events) {
      const times = 1 + ((event.id.charCodeAt(event.id.length - 1) % 5) as number);
      for (let i = 1; i < times; i++) {
        await stripe.resendEvent(event.id);
        replays++;
      }
    }
    await settle();
    report.count("webhook replays", replays);
    report.count("bookings in storm", bookings.length);
    for (const [i, b] of bookings.entries()) {
      const after = await reload(b.booking.id);
      expect(after.status).toBe(i % 3 === 2 ? "EXPIRED" : "CONFIRMED");
    }
    await verify("webhook storm", ["webhooks held", "shuffled order", "each delivered 1-5 times"]);
  });

  it("finds a payment whose webhooks were all lost and applies it", async () => {
    const { booking, sessionId } = await book(17);
    stripe.faults.dropWebhooks = true;
    await stripe.pay(sessionId);
    stripe.faults.dropWebhooks = false;
    // The hold was released without Stripe being asked (it was down), and nothing told us about the payment.
    await db.$transaction((tx) => tx.booking.update({ where: { id: booking.id }, data: { status: "EXPIRED", cancelledAt: new Date(), endedBy: "SYSTEM", holdExpiresAt: null } }));
    const result = await reconcile();
    expect(result.lostPaymentsApplied).toBe(1);
    expect((await reload(booking.id)).status).toBe("CONFIRMED");
    report.count("lost payments found by the reconciler", result.lostPaymentsApplied);
    await verify("all webhooks lost", ["webhooks dropped"]);
  });

  it("survives Stripe answering 5xx on refunds: the refund is retried with the same key and lands once", async () => {
    const { booking, sessionId } = await book(18);
    await stripe.pay(sessionId);
    await settle();
    stripe.faults.failNext(4, 503);
    await db.$transaction((tx) => refundBooking(tx, booking.id, null, "coach-cancelled", `c:${booking.id}`));
    await drainJobs(JOB_HANDLERS).catch(() => null);
    // Backoff: make the retried job due now.
    await db.job.updateMany({ where: { status: "PENDING" }, data: { runAt: new Date(Date.now() - 1000) } });
    await settle();
    const after = await reload(booking.id);
    expect(after.payments[0]).toMatchObject({ status: "REFUNDED", amountRefundedMinor: 5000 });
    report.count("Stripe 5xx injected", 4);
    await verify("Stripe 5xx on refund", ["Stripe 503 x4 on refund"]);
  });
});
