import { afterAll, describe, expect, it } from "vitest";
import { actAs, jsonRequest, noParams } from "../support/session";
import { POST as cancelRoute } from "@/app/api/calcom/cancel-booking/route";
import { POST as rescheduleRoute } from "@/app/api/calcom/reschedule-booking/route";
import { GET as getPolicy, PUT as putPolicy } from "@/app/api/coach/policy/route";
import { createBooking } from "@/lib/booking/create";
import { db } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { drainJobs } from "@/lib/jobs/queue";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

/** The two routes stay thin (route() owns auth and errors): status codes and the answer shapes of issue #8. */
const { stripe } = useEmulators({ webhooks: true });
afterAll(() => actAs(null));

type U = { id: string; name: string; email: string; role: "COACH" | "STUDENT" | "ADMIN"; timeZone: string };
const as = (u: U) => actAs({ id: u.id, name: u.name, email: u.email, role: u.role, timeZone: u.timeZone });
const cancel = (body: unknown) => cancelRoute(jsonRequest("/api/calcom/cancel-booking", body), noParams);
const reschedule = (body: unknown) => rescheduleRoute(jsonRequest("/api/calcom/reschedule-booking", body), noParams);

async function paidBooking() {
  const fixture = await createCoach({ offerings: [{ title: "A", priceMinor: 5000 }, { title: "B", priceMinor: 7000 }, { title: "C", priceMinor: 5000, currency: "usd" }] });
  const student = await createStudent();
  const created = await createBooking(student, { offeringId: fixture.offerings[0].id, start: futureHour(5).toISOString(), timeZone: "UTC" });
  const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
  await stripe.pay(booking.stripeCheckoutSessionId!);
  await stripe.waitForDeliveries();
  await drainJobs(JOB_HANDLERS);
  return { ...fixture, student, booking };
}

describe("POST /api/calcom/cancel-booking", () => {
  it("answers 401 signed out, 404 to anyone but the student, coach or an admin, 400 for bad input", async () => {
    const { booking } = await paidBooking();
    actAs(null);
    expect((await cancel({ bookingId: booking.id })).status).toBe(401);
    as(await createStudent());
    const hidden = await cancel({ bookingId: booking.id, dryRun: true });
    expect(hidden.status).toBe(404);
    expect((await hidden.json()).error.code).toBe("NOT_FOUND");
    expect((await cancel({ bookingId: 42 })).status).toBe(400);
    expect((await cancel("{nope")).status).toBe(400);
  });

  it("answers the issue's shape for a dry run and the real cancel, then 409 for a session that started", async () => {
    const { booking, student, user } = await paidBooking();
    as(student);
    const dry = await cancel({ bookingId: booking.id, dryRun: true });
    expect(dry.status).toBe(200);
    const dryBody = await dry.json();
    expect(dryBody).toEqual({
      bookingId: booking.id,
      status: "CANCELLED",
      refund: { amountMinor: 5000, currency: "eur", status: "pending" },
      policy: { version: 2, refundTiers: [{ minHoursBefore: 24, percent: 100 }, { minHoursBefore: 2, percent: 50 }], rescheduleCutoffHours: 12, maxReschedules: 2 },
    });
    as(user);
    const real = await cancel({ bookingId: booking.id, reason: "Travelling" });
    expect(await real.json()).toEqual(dryBody);

    const second = await paidBooking();
    await db.booking.update({ where: { id: second.booking.id }, data: { startsAt: new Date(Date.now() - 60_000), blockedFrom: new Date(Date.now() - 60_000) } });
    as(second.student);
    const started = await cancel({ bookingId: second.booking.id });
    expect(started.status).toBe(409);
    expect((await started.json()).error.message).toMatch(/already started/);
  });
});

describe("POST /api/calcom/reschedule-booking", () => {
  it("answers 400 for another currency or a bad zone, 404 for outsiders, and 200 with the difference and a Checkout URL", async () => {
    const { booking, student, offerings } = await paidBooking();
    const start = new Date(booking.startsAt.getTime() + 86_400_000).toISOString();
    as(await createStudent());
    expect((await reschedule({ bookingId: booking.id, start, timeZone: "UTC" })).status).toBe(404);
    as(student);
    expect((await reschedule({ bookingId: booking.id, start, timeZone: "Mars/Base" })).status).toBe(400);
    const currency = await reschedule({ bookingId: booking.id, start, timeZone: "UTC", offeringId: offerings[2].id });
    expect(currency.status).toBe(400);
    expect((await currency.json()).error.message).toMatch(/same currency/);
    const dearer = await reschedule({ bookingId: booking.id, start, timeZone: "UTC", offeringId: offerings[1].id });
    expect(dearer.status).toBe(200);
    const body = await dearer.json();
    expect(body).toMatchObject({ bookingId: booking.id, status: "AWAITING_PAYMENT", difference: { amountMinor: 2000, currency: "eur" } });
    expect(body.checkoutUrl).toContain(stripe.url.replace("http://", ""));
  });
});

describe("GET/PUT /api/coach/policy", () => {
  it("validates with clear messages, saves, and the next booking snapshots it (earlier ones keep theirs)", async () => {
    const { booking, user, offerings, student } = await paidBooking();
    as(student);
    expect((await getPolicy(jsonRequest("/api/coach/policy"), noParams)).status).toBe(403);
    as(user);
    const put = (body: unknown) => putPolicy(jsonRequest("/api/coach/policy", body, { method: "PUT" }), noParams);
    const good = { fullRefundHoursBefore: 48, partialRefundHoursBefore: 6, lateCancelRefundPercent: 25, rescheduleCutoffHours: 24, maxReschedules: 1 };
    const bad = await put({ ...good, partialRefundHoursBefore: 72 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "VALIDATION", details: { fields: { partialRefundHoursBefore: expect.stringMatching(/must not be longer than the full-refund notice/) } } });
    expect((await put({ ...good, lateCancelRefundPercent: 150 })).status).toBe(400);
    expect((await put({ ...good, maxReschedules: 1.5 })).status).toBe(400);
    const saved = await put(good);
    expect(saved.status).toBe(200);
    expect((await saved.json()).summary).toContain("Cancel from 48 down to 6 hours before the start: 25% refund.");
    const next = await createBooking(student, { offeringId: offerings[0].id, start: futureHour(9).toISOString(), timeZone: "UTC" });
    expect((await db.booking.findUniqueOrThrow({ where: { id: next.bookingId } })).policy).toEqual({ version: 2, refundTiers: [{ minHoursBefore: 48, percent: 100 }, { minHoursBefore: 6, percent: 25 }], rescheduleCutoffHours: 24, maxReschedules: 1 });
    expect((await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).policy).toMatchObject({ refundTiers: [{ minHoursBefore: 24, percent: 100 }, { minHoursBefore: 2, percent: 50 }] });
  });
});
