import { NextRequest } from "next/server";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { useRequestHeaders } from "../support/next-headers-mock";
import { actAs, jsonRequest, noParams } from "../support/session";
import { createCoach, createStudent } from "../support/fixtures";
import { POST as signUp } from "@/app/api/accounts/route";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { GET as availableSlots } from "@/app/api/calcom/available-slots/route";
import { POST as createBookingRoute } from "@/app/api/calcom/create-booking/route";
import { POST as syncAvailability } from "@/app/api/calcom/sync-availability/route";
import { PATCH as editOffering } from "@/app/api/coach/offerings/[id]/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { errorResponse } from "@/lib/http/route";
import { db } from "@/lib/db/client";
import { useEmulators } from "../support/emulators";

/** The inputs that made the outside test's 39 requests fail with 500: each is now a 4xx with the JSON error shape. */
const { stripe } = useEmulators({ calcom: {} });
afterAll(() => actAs(null));

async function expectClientError(response: Response, status?: number) {
  if (status) expect(response.status).toBe(status);
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const body = await response.json();
  expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  return body;
}

describe("hostile input gets a 4xx, never a 500", () => {
  it("NUL characters in a body field, a key or a query parameter", async () => {
    const { user, offerings, coach } = await createCoach();
    actAs(null);
    const body = await expectClientError(await signUp(jsonRequest("/api/accounts", { role: "STUDENT", name: "Nul\u0000Person", email: "nul@example.com", password: "long-enough-pw", timeZone: "UTC" }), noParams), 400);
    expect(body.error.details.fields).toHaveProperty("name");
    await expectClientError(await signUp(jsonRequest("/api/accounts", { "ro\u0000le": "x" }), noParams), 400);
    await expectClientError(await availableSlots(jsonRequest(`/api/calcom/available-slots?coachId=${coach.id}%00&offeringId=x&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&timeZone=UTC`), noParams), 400);
    actAs({ id: user.id, name: user.name, email: user.email, role: "COACH", timeZone: "UTC" });
    await expectClientError(await editOffering(jsonRequest(`/api/coach/offerings/${offerings[0].id}`, { title: "Bad\u0000title" }, { method: "PATCH" }), { params: Promise.resolve({ id: offerings[0].id }) }), 400);
    // A NUL in a path parameter reaches the database only as a lookup: no such offering.
    await expectClientError(await editOffering(jsonRequest("/api/coach/offerings/x%00y", { title: "Fine title" }, { method: "PATCH" }), { params: Promise.resolve({ id: "x\u0000y" }) }));
  });

  it("years PostgreSQL or JavaScript cannot hold (0001, 9999, 275760)", async () => {
    const { offerings, coach } = await createCoach();
    const student = await createStudent();
    actAs({ id: student.id, name: student.name, email: student.email, role: "STUDENT", timeZone: "UTC" });
    for (const start of ["0001-01-01T10:00:00Z", "9999-12-31T10:00:00Z", "+275760-09-13T00:00:00Z", "1900-01-01T00:00:00Z"]) {
      const body = await expectClientError(await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start, timeZone: "UTC" }), noParams), 400);
      expect(body.error.details.fields).toHaveProperty("start");
    }
    actAs(null);
    const q = new URLSearchParams({ coachId: coach.id, offeringId: offerings[0].id, from: "0001-01-01T00:00:00Z", to: "0001-01-02T00:00:00Z", timeZone: "UTC" });
    await expectClientError(await availableSlots(jsonRequest(`/api/calcom/available-slots?${q}`), noParams), 400);
  });

  it("a JSON content type with a non-JSON body on next-auth's sign-in callback", async () => {
    for (const raw of ["{not json", "null", "[1,2]", '"text"', "csrfToken=x&email=a"]) {
      const req = new NextRequest("http://localhost/api/auth/callback/credentials", { method: "POST", headers: { "content-type": "application/json" }, body: raw });
      useRequestHeaders(req.headers);
      const response = await authPost(req, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
      await expectClientError(response, 400);
    }
    // And next-auth still answers ordinary requests.
    const csrf = new NextRequest("http://localhost/api/auth/csrf");
    useRequestHeaders(csrf.headers);
    const ok = await authGet(csrf, { params: Promise.resolve({ nextauth: ["csrf"] }) });
    expect(ok.status).toBe(200);
    expect((await ok.json()).csrfToken).toMatch(/^[a-f0-9]{32,}$/);
  });

  it("a correctly signed Stripe event whose data is null (or has no object)", async () => {
    for (const data of [null, {}, { object: null }, "text"]) {
      const payload = JSON.stringify({ id: `evt_null_${Math.random()}`, object: "event", type: "checkout.session.completed", created: 1, data });
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret });
      const response = await stripeWebhook(jsonRequest("/api/webhooks/stripe", payload, { headers: { "stripe-signature": signature } }));
      await expectClientError(response, 400);
    }
  });

  it("webhooks on a server without their secrets: a clear 409, not a 500", async () => {
    const saved = { s: process.env.STRIPE_WEBHOOK_SECRET, c: process.env.CALCOM_WEBHOOK_SECRET };
    delete process.env.STRIPE_WEBHOOK_SECRET;
    delete process.env.CALCOM_WEBHOOK_SECRET;
    try {
      const { POST: calcomWebhook } = await import("@/app/api/webhooks/calcom/route");
      const stripeAnswer = await stripeWebhook(jsonRequest("/api/webhooks/stripe", { id: "evt_x" }, { headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" } }));
      expect((await expectClientError(stripeAnswer, 409)).error.code).toBe("INTEGRATION_NOT_CONFIGURED");
      const calcomAnswer = await calcomWebhook(jsonRequest("/api/webhooks/calcom", { triggerEvent: "BOOKING_CREATED" }));
      expect((await expectClientError(calcomAnswer, 409)).error.code).toBe("INTEGRATION_NOT_CONFIGURED");
    } finally {
      Object.assign(process.env, { STRIPE_WEBHOOK_SECRET: saved.s, CALCOM_WEBHOOK_SECRET: saved.c });
    }
  });

  it("two concurrent first syncs of one coach: one syncs, the other gets a clear 409", async () => {
    const { user } = await createCoach();
    actAs({ id: user.id, name: user.name, email: user.email, role: "COACH", timeZone: "UTC" });
    const answers = await Promise.all([0, 1].map(() => syncAvailability(jsonRequest("/api/calcom/sync-availability", {}), noParams)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    await expectClientError(answers.find((r) => r.status === 409)!, 409);
    expect(await db.calcomAccount.count({ where: { coach: { userId: user.id } } })).toBe(1);
  });

  it("maps database input errors that get past the edge to 400/409 (the safety net)", async () => {
    const cases: Array<[string, number]> = [["22P05", 400], ["22021", 400], ["22008", 400], ["22007", 400], ["23505", 409]];
    const { Prisma } = await import("@/lib/generated/prisma/client");
    for (const [code, status] of cases) {
      const error = new Prisma.PrismaClientKnownRequestError("driver error", { code: "P2010", clientVersion: "7", meta: { driverAdapterError: { cause: { originalCode: code } } } });
      const response = errorResponse(error);
      expect(response.status, code).toBe(status);
      await expectClientError(response, status);
    }
    // A real one: PostgreSQL refuses the NUL character itself (22021), and the wrapper answers 400.
    const nul = await db.user.create({ data: { email: "nul-direct@example.com", name: "a\u0000b", passwordHash: "x", role: "STUDENT", timeZone: "UTC" } }).catch((e) => e);
    expect(errorResponse(nul).status).toBe(400);
  });
});
