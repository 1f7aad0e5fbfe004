import bcrypt from "bcryptjs";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { actAs, jsonRequest, noParams } from "../support/session";
import { GET as getProfileRoute, PATCH as patchProfile } from "@/app/api/profile/route";
import { hashPassword } from "@/lib/accounts/service";
import { getCoachBookingDetail } from "@/lib/booking/coach-detail";
import { createBooking } from "@/lib/booking/create";
import { listLiveHolds } from "@/lib/booking/live-holds";
import { lastPaymentError } from "@/lib/booking/payment-attempt";
import { db } from "@/lib/db/client";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

const { stripe } = useEmulators({ env: { APP_URL: "http://127.0.0.1:3998" } });
afterAll(() => actAs(null));

const patch = (body: unknown) => patchProfile(jsonRequest("/api/profile", body, { method: "PATCH" }), noParams);

describe("GET/PATCH /api/profile", () => {
  it("is for signed-in people only", async () => {
    actAs(null);
    expect((await getProfileRoute(jsonRequest("/api/profile"), noParams)).status).toBe(401);
    expect((await patch({ name: "Someone" })).status).toBe(401);
  });

  it("changes name and zone; a new password needs the right current one; bad input is a 400 naming the field", async () => {
    const student = await db.user.update({ where: { id: (await createStudent()).id }, data: { passwordHash: await hashPassword("old-password") } });
    actAs({ id: student.id, name: student.name, email: student.email, role: "STUDENT", timeZone: student.timeZone });

    const ok = await patch({ name: "Renamed Student", timeZone: "Asia/Tokyo" });
    expect(ok.status).toBe(200);
    expect((await ok.json()).profile).toMatchObject({ name: "Renamed Student", timeZone: "Asia/Tokyo", email: student.email });
    expect((await (await getProfileRoute(jsonRequest("/api/profile"), noParams)).json()).profile.timeZone).toBe("Asia/Tokyo");

    const badZone = await patch({ timeZone: "Mars/Olympus" });
    expect(badZone.status).toBe(400);
    expect((await badZone.json()).error.details.fields).toHaveProperty("timeZone");

    const noCurrent = await patch({ newPassword: "new-password" });
    expect(noCurrent.status).toBe(400);
    expect((await noCurrent.json()).error.details.fields).toHaveProperty("currentPassword");

    const wrong = await patch({ currentPassword: "guess", newPassword: "new-password" });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.details.fields.currentPassword).toContain("not right");
    expect(await bcrypt.compare("old-password", (await db.user.findUniqueOrThrow({ where: { id: student.id } })).passwordHash)).toBe(true);

    const short = await patch({ currentPassword: "old-password", newPassword: "short" });
    expect(short.status).toBe(400);

    expect((await patch({ currentPassword: "old-password", newPassword: "new-password" })).status).toBe(200);
    expect(await bcrypt.compare("new-password", (await db.user.findUniqueOrThrow({ where: { id: student.id } })).passwordHash)).toBe(true);
  });
});

describe("paying, resumed", () => {
  it("names the coach, the time and the zone on the Checkout line item", async () => {
    const { offerings, user: coachUser } = await createCoach();
    const student = await createStudent();
    const start = futureHour(3, 10);
    const created = await createBooking(student, { offeringId: offerings[0].id, start: start.toISOString(), timeZone: "America/New_York" });
    const sessionId = new URL(created.checkoutUrl).pathname.split("/").pop()!;
    const items = await new Stripe("sk_test_x", { ...stripe.sdkConfig() }).checkout.sessions.listLineItems(sessionId);
    const name = items.data[0].description!;
    const newYork = new Intl.DateTimeFormat("en-GB", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit" }).format(start);
    expect(name).toContain(`${offerings[0].title} with ${coachUser.name}`);
    expect(name).toContain(newYork);
    expect(name).toContain("(America/New_York)");
  });

  it("lists a student's live hold, and reads back a declined card's reason", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    const created = await createBooking(student, { offeringId: offerings[0].id, start: futureHour(4, 10).toISOString(), timeZone: "UTC" });
    const holds = await listLiveHolds(student.id, offerings[0].id);
    expect(holds.map((h) => h.checkoutUrl)).toEqual([created.checkoutUrl]);
    const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    expect(await lastPaymentError(booking.stripeCheckoutSessionId)).toBeNull();
    stripe.faults.declineNextPayment();
    await stripe.pay(booking.stripeCheckoutSessionId!).catch(() => undefined);
    expect(await lastPaymentError(booking.stripeCheckoutSessionId)).toMatch(/declined/);
  });
});

describe("the coach's booking detail", () => {
  it("shows the coach's own booking with the student's email and payment state; another coach gets nothing", async () => {
    const { offerings, user: coachUser } = await createCoach();
    const other = await createCoach();
    const student = await createStudent("Asia/Tokyo");
    const created = await createBooking(student, { offeringId: offerings[0].id, start: futureHour(5, 10).toISOString(), timeZone: "Asia/Tokyo" });
    const detail = await getCoachBookingDetail(created.bookingId, coachUser.id);
    expect(detail).toMatchObject({ studentTimeZone: "Asia/Tokyo", student: { email: student.email }, payment: { state: "AWAITING_PAYMENT" } });
    expect(await getCoachBookingDetail(created.bookingId, other.user.id)).toBeNull();
    expect(await getCoachBookingDetail("no-such-booking", coachUser.id)).toBeNull();
  });
});
