import { afterAll, describe, expect, it } from "vitest";
import { actAs, jsonRequest, noParams } from "../support/session";
import { GET as availableSlots } from "@/app/api/calcom/available-slots/route";
import { POST as confirmBooking } from "@/app/api/calcom/confirm-booking/route";
import { POST as createBookingRoute } from "@/app/api/calcom/create-booking/route";
import { POST as createEventType } from "@/app/api/calcom/create-event-type/route";
import { POST as syncAvailability } from "@/app/api/calcom/sync-availability/route";
import { db } from "@/lib/db/client";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

// No Cal.com configuration in this file: the local engine answers and Sync is refused clearly.
const { stripe } = useEmulators();
afterAll(() => actAs(null));

const asUser = (u: { id: string; name: string; email: string; role: "COACH" | "STUDENT"; timeZone: string }) => actAs({ id: u.id, name: u.name, email: u.email, role: u.role, timeZone: u.timeZone });

describe("GET /api/calcom/available-slots", () => {
  it("answers anyone with local slots and says so", async () => {
    const { coach, offerings } = await createCoach({ timeZone: "Asia/Kolkata" });
    actAs(null);
    const from = futureHour(2, 0);
    const url = `/api/calcom/available-slots?coachId=${coach.id}&offeringId=${offerings[0].id}&from=${from.toISOString()}&to=${new Date(from.getTime() + 86_400_000).toISOString()}&timeZone=Australia/Adelaide`;
    const response = await availableSlots(jsonRequest(url), noParams);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ source: "local", timeZone: "Australia/Adelaide" });
    expect(body.slots).toHaveLength(24);
    // Hourly slots start on the coach's local hours: Kolkata is UTC+05:30, so on the half hour in UTC.
    const first = new Date(from.getTime() + 30 * 60_000);
    expect(body.slots[0]).toEqual({ start: first.toISOString(), end: new Date(first.getTime() + 3_600_000).toISOString() });
  });

  it("is cacheable and the same for everyone: ETag, 304 on a match, short public max-age", async () => {
    const { coach, offerings } = await createCoach();
    const from = futureHour(2, 0);
    const url = `/api/calcom/available-slots?coachId=${coach.id}&offeringId=${offerings[0].id}&from=${from.toISOString()}&to=${new Date(from.getTime() + 30 * 86_400_000).toISOString()}&timeZone=UTC`;
    const student = await createStudent();
    actAs(null);
    const anonymous = await availableSlots(jsonRequest(url), noParams);
    asUser({ ...student, role: "STUDENT" });
    const signedIn = await availableSlots(jsonRequest(url), noParams);
    actAs(null);
    const etag = anonymous.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(signedIn.headers.get("etag")).toBe(etag);
    expect(anonymous.headers.get("cache-control")).toMatch(/^public, max-age=\d{1,2}\b/);
    expect(anonymous.headers.get("vary") ?? "").not.toMatch(/cookie/i);
    const body = await anonymous.text();
    expect(JSON.parse(body).slots).toHaveLength(30 * 24);

    const notModified = await availableSlots(jsonRequest(url, undefined, { headers: { "if-none-match": etag! } }), noParams);
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    expect((await availableSlots(jsonRequest(url, undefined, { headers: { "if-none-match": '"other"' } }), noParams)).status).toBe(200);

  });

  it.each([
    ["a missing parameter", (q: URLSearchParams) => q.delete("coachId"), "coachId"],
    ["an invalid zone", (q: URLSearchParams) => q.set("timeZone", "Mars/Olympus"), "timeZone"],
    ["a malformed date", (q: URLSearchParams) => q.set("from", "tomorrow"), "from"],
    ["an inverted range", (q: URLSearchParams) => q.set("to", "2020-01-01T00:00:00Z"), "to"],
    ["a range over 62 days", (q: URLSearchParams) => q.set("to", new Date(Date.now() + 100 * 86_400_000).toISOString()), "to"],
    ["an unknown offering", (q: URLSearchParams) => q.set("offeringId", "nope"), "offeringId"],
  ])("answers 400 for %s", async (_label, mutate, field) => {
    const { coach, offerings } = await createCoach();
    const q = new URLSearchParams({ coachId: coach.id, offeringId: offerings[0].id, from: new Date().toISOString(), to: new Date(Date.now() + 7 * 86_400_000).toISOString(), timeZone: "UTC" });
    mutate(q);
    const response = await availableSlots(jsonRequest(`/api/calcom/available-slots?${q}`), noParams);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.message).toBeTruthy();
    expect(Object.keys(body.error.details.fields)).toContain(field);
  });
});

describe("POST /api/calcom/create-booking", () => {
  it("is for signed-in students only", async () => {
    const { offerings, user } = await createCoach();
    const body = { offeringId: offerings[0].id, start: futureHour(3).toISOString(), timeZone: "UTC" };
    actAs(null);
    expect((await createBookingRoute(jsonRequest("/api/calcom/create-booking", body), noParams)).status).toBe(401);
    asUser({ ...user, role: "COACH" });
    expect((await createBookingRoute(jsonRequest("/api/calcom/create-booking", body), noParams)).status).toBe(403);
  });

  it("holds, answers 201 with the Checkout URL, then 409 for the same slot; 400 for bad input", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    asUser(student as never);
    const start = futureHour(4).toISOString();
    const ok = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start, timeZone: "Europe/London", priceMinor: 1 }), noParams);
    expect(ok.status).toBe(201);
    const created = await ok.json();
    expect(created.checkoutUrl).toContain(stripe.url);
    expect(created.amountMinor).toBe(5000); // the client's price is ignored
    // The same student asking again (back from Checkout, a double click) gets their live hold back, not a second one.
    const resumed = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start, timeZone: "Europe/London" }), noParams);
    expect(resumed.status).toBe(201);
    expect(await resumed.json()).toMatchObject({ bookingId: created.bookingId, checkoutUrl: created.checkoutUrl });
    expect(await db.booking.count({ where: { offeringId: offerings[0].id } })).toBe(1);
    // Anyone else: the slot is taken.
    asUser((await createStudent()) as never);
    const again = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start, timeZone: "Europe/London" }), noParams);
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("SLOT_TAKEN");
    const bad = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: "", start: "soon", timeZone: "Nowhere" }), noParams);
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).error.details.fields).sort()).toEqual(["offeringId", "start", "timeZone"]);
    const unknown = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: "nope", start, timeZone: "UTC" }), noParams);
    expect(unknown.status).toBe(404);
  });

  it("a withdrawn offering takes no new holds, but a student's live hold on it can still be resumed and paid", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    asUser(student as never);
    const start = futureHour(5).toISOString();
    const created = await (await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start, timeZone: "UTC" }), noParams)).json();
    await db.offering.update({ where: { id: offerings[0].id }, data: { active: false } });
    const resumed = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start, timeZone: "UTC" }), noParams);
    expect(resumed.status).toBe(201);
    expect(await resumed.json()).toMatchObject({ bookingId: created.bookingId, checkoutUrl: created.checkoutUrl });
    const other = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start: futureHour(7).toISOString(), timeZone: "UTC" }), noParams);
    expect(other.status).toBe(404);
    expect((await other.json()).error.message).toMatch(/no longer offered/);
  });
});

describe("POST /api/calcom/confirm-booking", () => {
  it("answers 401 signed out and 404 for someone else's booking", async () => {
    const { offerings } = await createCoach();
    const owner = await createStudent();
    const other = await createStudent();
    asUser(owner as never);
    const created = await (await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start: futureHour(5).toISOString(), timeZone: "UTC" }), noParams)).json();
    actAs(null);
    expect((await confirmBooking(jsonRequest("/api/calcom/confirm-booking", { bookingId: created.bookingId }), noParams)).status).toBe(401);
    asUser(other as never);
    expect((await confirmBooking(jsonRequest("/api/calcom/confirm-booking", { bookingId: created.bookingId }), noParams)).status).toBe(404);
    asUser(owner as never);
    const mine = await confirmBooking(jsonRequest("/api/calcom/confirm-booking", { bookingId: created.bookingId }), noParams);
    expect(mine.status).toBe(200);
    expect((await mine.json()).booking.status).toBe("PENDING_PAYMENT"); // not paid yet: Stripe says so
  });
});

describe("Cal.com coach routes without Cal.com configured", () => {
  it("refuse students, and tell coaches clearly that there is nothing to sync with", async () => {
    const { user, offerings } = await createCoach();
    const student = await createStudent();
    actAs(null);
    expect((await syncAvailability(jsonRequest("/api/calcom/sync-availability", {}), noParams)).status).toBe(401);
    asUser(student as never);
    expect((await syncAvailability(jsonRequest("/api/calcom/sync-availability", {}), noParams)).status).toBe(403);
    asUser({ ...user, role: "COACH" });
    const sync = await syncAvailability(jsonRequest("/api/calcom/sync-availability", {}), noParams);
    expect(sync.status).toBe(409);
    expect((await sync.json()).error).toMatchObject({ code: "INTEGRATION_NOT_CONFIGURED", message: expect.stringContaining("not configured") });
    expect((await createEventType(jsonRequest("/api/calcom/create-event-type", {}), noParams)).status).toBe(400);
    expect((await createEventType(jsonRequest("/api/calcom/create-event-type", { offeringId: offerings[0].id }), noParams)).status).toBe(409);
  });
});
