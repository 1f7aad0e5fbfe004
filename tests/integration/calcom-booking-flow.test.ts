import { afterEach, describe, expect, it } from "vitest";
import { coachApi, DbTokenStore, getCalcomClient } from "@/lib/calcom-sync/client";
import { syncCoach } from "@/lib/calcom-sync/sync";
import { updateOffering } from "@/lib/coaches/offering-service";
import { createBooking } from "@/lib/booking/create";
import { sweepExpiredHolds } from "@/lib/booking/release";
import { pastGrace, releaseWithoutStripe } from "../support/holds";
import { findSlots } from "@/lib/booking/slots";
import { resetCalcomSlotCache } from "@/lib/calcom-sync/slots";
import { db } from "@/lib/db/client";
import { CalcomClient } from "@/lib/calcom";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { JOB } from "@/lib/jobs/kinds";
import { drainJobs, enqueue } from "@/lib/jobs/queue";
import { createCoach, createStudent } from "../support/fixtures";
import { TEST_CALCOM, useEmulators } from "../support/emulators";

// Cal.com with TEST_CALCOM's credentials; Sync subscribes the route server (APP_URL) with its webhook secret.
const { cal, stripe, app } = useEmulators({ webhooks: true, calcom: TEST_CALCOM });
afterEach(() => {
  expect(cal.violations).toEqual([]);
  cal.faults.reset();
});

const weekdays9to17 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }));

async function syncedCoach() {
  const fixture = await createCoach({ timeZone: "Europe/Berlin", rules: weekdays9to17, bufferAfterMinutes: 15, minimumNoticeMinutes: 60, offerings: [{ title: "Alpha", durationMinutes: 60 }, { title: "Beta", durationMinutes: 30 }] });
  const result = await syncCoach(fixture.user.id);
  return { ...fixture, result };
}

function nextWeekRange() {
  const from = new Date();
  from.setUTCDate(from.getUTCDate() + 2);
  from.setUTCHours(0, 0, 0, 0);
  return { from, to: new Date(from.getTime() + 7 * 86_400_000) };
}

describe("Sync with Cal.com", () => {
  it("creates the managed user, schedule and one pending-until-paid event type per offering, then is idempotent", async () => {
    const { coach, offerings, result } = await syncedCoach();
    expect(result.remoteWrites).toBeGreaterThanOrEqual(3);
    const account = await db.calcomAccount.findUniqueOrThrow({ where: { coachId: coach.id } });
    expect(account).toMatchObject({ syncStatus: "SYNCED", syncError: null });
    // Stored encrypted: the ciphertext is not the token the client uses.
    const tokens = await new DbTokenStore().get(coach.id);
    expect(tokens?.accessToken).toBeTruthy();
    expect(account.accessTokenEnc).not.toContain(tokens!.accessToken);
    expect(account.refreshTokenEnc).not.toContain(tokens!.refreshToken);
    const user = cal.state.users.get(account.calcomUserId!)!;
    expect(user.email).toContain("+coachbook-test-client@");
    const schedule = cal.state.schedules.get(account.scheduleId!)!;
    expect(schedule.timeZone).toBe("Europe/Berlin");
    for (const offering of offerings) {
      const row = await db.offering.findUniqueOrThrow({ where: { id: offering.id } });
      const eventType = cal.state.eventTypes.get(row.calcomEventTypeId!)!;
      expect(eventType).toMatchObject({ lengthInMinutes: offering.durationMinutes, afterEventBuffer: 15, minimumBookingNotice: 60, bookingRequiresAuthentication: true });
      expect(eventType.confirmationPolicy).toMatchObject({ type: "always" });
    }
    const hooks = [...cal.state.webhooks.values()];
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ subscriberUrl: `${app.url}/api/webhooks/calcom`, secret: "calcom-hook-secret", active: true });
    const before = cal.requests.length;
    const again = await syncCoach((await db.coachProfile.findUniqueOrThrow({ where: { id: coach.id } })).userId);
    expect(again.remoteWrites).toBe(0);
    expect(cal.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("updates or hides the event type when a synced coach edits or deactivates an offering", async () => {
    const { user, offerings } = await syncedCoach();
    await updateOffering(user.id, offerings[0].id, { title: "Alpha Plus", durationMinutes: 90 });
    const row = await db.offering.findUniqueOrThrow({ where: { id: offerings[0].id } });
    expect(cal.state.eventTypes.get(row.calcomEventTypeId!)).toMatchObject({ title: "Alpha Plus", lengthInMinutes: 90, hidden: false });
    await updateOffering(user.id, offerings[0].id, { active: false });
    expect(cal.state.eventTypes.get(row.calcomEventTypeId!)).toMatchObject({ hidden: true });
  });

  it("adopts the managed user a crashed sync created (found by its +clientId email) instead of failing forever", async () => {
    const fixture = await createCoach({ timeZone: "Europe/Berlin", rules: weekdays9to17 });
    // Cal.com made the user but our process died before writing it down.
    const orphan = await getCalcomClient().managedUsers.create({ email: fixture.user.email, name: fixture.user.name, timeZone: "Europe/Berlin" });
    const usersBefore = cal.state.users.size;
    await expect(syncCoach(fixture.user.id)).resolves.toMatchObject({ status: "SYNCED", calcomUserId: orphan.user.id });
    expect(cal.state.users.size).toBe(usersBefore);
  });

  it("refreshes a coach's tokens once when two app processes find them expired at the same time", async () => {
    const { coach } = await syncedCoach();
    const account = await db.calcomAccount.findUniqueOrThrow({ where: { coachId: coach.id } });
    // Two independent clients over the same database stand for two app processes.
    const processes = [0, 1].map(
      () => new CalcomClient({ baseUrl: cal.url, auth: { kind: "platform", clientId: "coachbook-test-client", clientSecret: "coachbook-test-secret" }, tokenStore: new DbTokenStore() }),
    );
    cal.faults.expireAccessTokens();
    const before = cal.requests.length;
    const ref = { coachKey: coach.id, managedUserId: account.calcomUserId! };
    await Promise.all(processes.map((client) => client.coach(ref).schedules.get(account.scheduleId!)));
    const tokenCalls = cal.requests.slice(before).filter((r) => r.path.includes("/refresh") || r.path.includes("/force-refresh"));
    expect(tokenCalls.map((r) => r.template)).toEqual(["/v2/oauth/{clientId}/refresh"]);
  });

  it("records a failed sync with the reason and succeeds on retry", async () => {
    const fixture = await createCoach({ timeZone: "Asia/Kolkata", rules: weekdays9to17 });
    cal.faults.failNext(10, { status: 503 });
    await expect(syncCoach(fixture.user.id)).rejects.toMatchObject({ code: "UPSTREAM_ERROR" });
    const failed = await db.calcomAccount.findUniqueOrThrow({ where: { coachId: fixture.coach.id } });
    expect(failed.syncStatus).toBe("FAILED");
    expect(failed.syncError).toMatch(/503/);
    cal.faults.reset();
    await expect(syncCoach(fixture.user.id)).resolves.toMatchObject({ status: "SYNCED" });
  });

  it("keeps working when access tokens expire (498 -> refresh)", async () => {
    const { user, coach } = await syncedCoach();
    cal.faults.expireAccessTokens();
    await db.coachProfile.update({ where: { id: coach.id }, data: { bufferBeforeMinutes: 5 } });
    await expect(syncCoach(user.id)).resolves.toMatchObject({ status: "SYNCED" });
  });
});

describe("slots and bookings through Cal.com", () => {
  it("answers slots from Cal.com for a synced coach, matching the local engine, and falls back when Cal.com is down", async () => {
    const { coach, offerings } = await syncedCoach();
    const { from, to } = nextWeekRange();
    const query = { coachId: coach.id, offeringId: offerings[0].id, from, to, timeZone: "America/New_York" };
    const remote = await findSlots(query);
    expect(remote.source).toBe("calcom");
    expect(remote.slots.length).toBeGreaterThan(10);
    // The answer above is cached (per coach, event type, window and availability version): drop it so this
    // request reaches the failing Cal.com.
    resetCalcomSlotCache();
    cal.faults.failNext(20, { status: 500 });
    const local = await findSlots(query);
    expect(local.source).toBe("local");
    expect(local.fallbackReason).toMatch(/Cal.com did not answer/);
    expect(local.fallbackReason).not.toMatch(/500|Emulator|Internal/);
    expect(local.slots).toEqual(remote.slots);
    cal.faults.reset();
    // A slow Cal.com does not keep a student waiting: one short try and one retry, then the local engine.
    process.env.CALCOM_TIMEOUT_MS = "300";
    try {
      resetCalcomSlotCache();
      cal.faults.delayNext(5, 2000, { path: "/v2/slots" });
      expect((await findSlots(query)).source).toBe("local");
    } finally {
      delete process.env.CALCOM_TIMEOUT_MS;
    }
  });

  it("holds in Cal.com as pending, confirms there after payment, and declines there when a hold expires", async () => {
    const { offerings } = await syncedCoach();
    const student = await createStudent("America/New_York");
    const { from, to } = nextWeekRange();
    const slots = await findSlots({ coachId: offerings[0].coachId, offeringId: offerings[0].id, from, to, timeZone: "America/New_York" });

    const paid = await createBooking(student, { offeringId: offerings[0].id, start: slots.slots[0].start, timeZone: "America/New_York" });
    let booking = await db.booking.findUniqueOrThrow({ where: { id: paid.bookingId } });
    expect(cal.state.bookings.get(booking.calcomBookingUid!)!.status).toBe("pending");
    await stripe.pay(booking.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);
    booking = await db.booking.findUniqueOrThrow({ where: { id: paid.bookingId } });
    expect(booking.status).toBe("CONFIRMED");
    expect(booking.calcomStatus).toBe("accepted");
    expect(cal.state.bookings.get(booking.calcomBookingUid!)!.status).toBe("accepted");

    // The pending booking of another offering at an overlapping time is refused by our own hold table.
    await expect(createBooking(student, { offeringId: offerings[1].id, start: slots.slots[0].start, timeZone: "UTC" })).rejects.toMatchObject({ code: "SLOT_TAKEN" });

    const unpaid = await createBooking(student, { offeringId: offerings[0].id, start: slots.slots[5].start, timeZone: "America/New_York" });
    await db.booking.update({ where: { id: unpaid.bookingId }, data: { holdExpiresAt: pastGrace() } });
    await sweepExpiredHolds();
    await drainJobs(JOB_HANDLERS);
    const expired = await db.booking.findUniqueOrThrow({ where: { id: unpaid.bookingId } });
    expect(expired.status).toBe("EXPIRED");
    expect(cal.state.bookings.get(expired.calcomBookingUid!)!.status).toBe("rejected");
  });

  it("books again in Cal.com when a late payment re-takes a lapsed hold, even if a stale reconcile runs first", async () => {
    const { offerings } = await syncedCoach();
    const student = await createStudent();
    const { from, to } = nextWeekRange();
    const slots = await findSlots({ coachId: offerings[0].coachId, offeringId: offerings[0].id, from, to, timeZone: "UTC" });
    const created = await createBooking(student, { offeringId: offerings[0].id, start: slots.slots[3].start, timeZone: "UTC" });
    const held = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    // The hold lapses and is released in Cal.com (declined), but the Checkout Session is still open.
    // Released without asking Stripe (unreachable), so the session is still open.
    await releaseWithoutStripe(held.id);
    await drainJobs({ [JOB.calcomRelease]: JOB_HANDLERS[JOB.calcomRelease] });
    expect(cal.state.bookings.get(held.calcomBookingUid!)!.status).toBe("rejected");
    await stripe.pay(held.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    expect((await db.booking.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("CONFIRMED");
    // A reconcile queued by the earlier rejection runs before the confirm job: it must not cancel the paid booking.
    await enqueue(db, { kind: JOB.calcomReconcile, payload: { bookingId: held.id }, dedupeKey: `stale-reconcile:${held.id}` });
    await drainJobs({ [JOB.calcomReconcile]: JOB_HANDLERS[JOB.calcomReconcile] });
    expect((await db.booking.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("CONFIRMED");
    await drainJobs(JOB_HANDLERS);
    const after = await db.booking.findUniqueOrThrow({ where: { id: held.id } });
    expect(after).toMatchObject({ status: "CONFIRMED", calcomStatus: "accepted" });
    expect(after.calcomBookingUid).not.toBe(held.calcomBookingUid);
    expect(cal.state.bookings.get(after.calcomBookingUid!)!.status).toBe("accepted");
    expect(await db.refund.count({ where: { payment: { bookingId: held.id } } })).toBe(0);
  });

  it("undoes the hold when Cal.com cannot create the pending booking", async () => {
    const { offerings } = await syncedCoach();
    const student = await createStudent();
    const { from, to } = nextWeekRange();
    const slots = await findSlots({ coachId: offerings[0].coachId, offeringId: offerings[0].id, from, to, timeZone: "UTC" });
    cal.faults.failNext(5, { status: 500, method: "POST", path: "/v2/bookings" });
    await expect(createBooking(student, { offeringId: offerings[0].id, start: slots.slots[0].start, timeZone: "UTC" })).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    const rows = await db.booking.findMany({ where: { offeringId: offerings[0].id } });
    expect(rows.map((r) => r.status)).toEqual(["CANCELLED"]);
    // The Checkout Session was made before the hold (lib/booking/create.ts): its payment row is FAILED with the
    // release, and the queued expiry makes the session unpayable at Stripe.
    expect((await db.payment.findMany({ where: { bookingId: rows[0].id } })).map((p) => p.status)).toEqual(["FAILED"]);
    await drainJobs(JOB_HANDLERS);
    expect(stripe.state.checkoutSessions.get(rows[0].stripeCheckoutSessionId!)!.status).toBe("expired");
  });

  it("declines an orphan Cal.com booking whose create answer was lost (timeout after Cal.com made it)", async () => {
    const { offerings } = await syncedCoach();
    const student = await createStudent();
    const { from, to } = nextWeekRange();
    const slots = await findSlots({ coachId: offerings[0].coachId, offeringId: offerings[0].id, from, to, timeZone: "UTC" });
    process.env.CALCOM_TIMEOUT_MS = "400";
    try {
      cal.faults.delayNext(1, 1200, { method: "POST", path: "/v2/bookings" });
      await expect(createBooking(student, { offeringId: offerings[0].id, start: slots.slots[1].start, timeZone: "UTC" })).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    } finally {
      delete process.env.CALCOM_TIMEOUT_MS;
    }
    const local = await db.booking.findFirstOrThrow({ where: { offeringId: offerings[0].id }, orderBy: { createdAt: "desc" } });
    expect(local).toMatchObject({ status: "CANCELLED", calcomBookingUid: null });
    // Cal.com finished the request after our client gave up: an orphan pending booking exists there.
    const orphan = async () => [...cal.state.bookings.values()].find((b) => b.metadata.bookingId === local.id);
    await expect.poll(orphan, { timeout: 5000 }).toBeTruthy();
    expect((await orphan())!.status).toBe("pending");
    // The release job waits before looking (so the request is surely done); make it due now.
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: `calcom-release:${local.id}` } });
    expect(job.runAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
    await db.job.update({ where: { id: job.id }, data: { runAt: new Date() } });
    await drainJobs(JOB_HANDLERS);
    expect((await orphan())!.status).toBe("rejected");
  });

  it("cancels and refunds in full when the coach cancels the paid booking in Cal.com (webhook, reconciled)", async () => {
    const { offerings, coach } = await syncedCoach();
    const student = await createStudent();
    const { from, to } = nextWeekRange();
    const slots = await findSlots({ coachId: coach.id, offeringId: offerings[0].id, from, to, timeZone: "UTC" });
    const created = await createBooking(student, { offeringId: offerings[0].id, start: slots.slots[2].start, timeZone: "UTC" });
    const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    await stripe.pay(booking.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);

    cal.faults.duplicateWebhooks(5);
    const api = await coachApi(coach.id);
    await api.bookings.cancel(booking.calcomBookingUid!, { cancellationReason: "Sick" });
    await cal.webhooks.idle();
    await drainJobs(JOB_HANDLERS);
    await stripe.waitForDeliveries();
    const after = await db.booking.findUniqueOrThrow({ where: { id: booking.id }, include: { payments: true } });
    expect(after.status).toBe("CANCELLED");
    expect(after.payments[0]).toMatchObject({ status: "REFUNDED", amountRefundedMinor: after.priceMinor });
  });

  it("rejects a Cal.com webhook with a bad signature", async () => {
    const response = await fetch(`${app.url}/api/webhooks/calcom`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-cal-signature-256": "0".repeat(64) },
      body: JSON.stringify({ triggerEvent: "BOOKING_CANCELLED", createdAt: new Date().toISOString(), payload: { uid: "x" } }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("INVALID_SIGNATURE");
  });
});
