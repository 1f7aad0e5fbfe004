import { NextRequest, NextResponse } from "next/server";
import { describe, expect, it } from "vitest";
import { useRequestHeaders } from "../support/next-headers-mock";
import { signIn } from "../support/sign-in";
import { useEmulators } from "../support/emulators";
import { createCoach, futureHour } from "../support/fixtures";
import { POST as createBookingRoute } from "@/app/api/calcom/create-booking/route";
import { createAccount } from "@/lib/accounts/service";
import { revokeSessions } from "@/lib/auth/session-check";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { routeWithAccountRead } from "@/lib/http/route";

/**
 * create-booking checks the caller's account on its own first read (lib/http/route.ts routeWithAccountRead), not
 * with a statement of its own. With real sign-ins (next-auth's cookie, the real token decryption and account
 * check), every way a session must end still ends it at once, the role is still enforced, and nothing is held or
 * sent to Stripe for a caller who is refused; the answers are route()'s, in its precedence.
 */
const emulators = useEmulators();
// Not tests/support/session.ts: that stands in for the session read, and this file tests the real one.
const noParams = { params: Promise.resolve({}) } as { params: Promise<never> };
const jsonRequest = (url: string, body: unknown, headers: Record<string, string>) =>
  new NextRequest(new URL(url, "http://localhost"), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const PASSWORD = "long-enough-pw";
let n = 0;

async function signedIn(role: "STUDENT" | "COACH") {
  const id = `${Date.now().toString(36)}${++n}`;
  const account = await createAccount({ role, name: `Caller ${id}`, email: `caller-${id}@example.com`, password: PASSWORD, timeZone: "UTC" });
  return { account, cookie: await signIn(account.email, PASSWORD) };
}

async function post(cookie: string | null, body: unknown) {
  // The cookie travels on the request only: route handlers read it from there (req.cookies), not next/headers.
  useRequestHeaders(new Headers());
  const req = jsonRequest("/api/calcom/create-booking", body, cookie ? { cookie } : {});
  const response = await createBookingRoute(req, noParams);
  return { status: response.status, body: await response.json() };
}

const held = (studentId: string) => db.booking.count({ where: { studentId } });
const checkoutSessions = () => emulators.stripe.state.checkoutSessions.size;

describe("create-booking's session check, on the hold read", () => {
  it("holds for a signed-in student, and names them in Checkout from the account as read now", async () => {
    const { offerings } = await createCoach();
    const { account, cookie } = await signedIn("STUDENT");
    // Changed after sign-in: the account's current email counts, not the token's.
    await db.user.update({ where: { id: account.id }, data: { email: `renamed-${account.email}` } });
    const res = await post(cookie, { offeringId: offerings[0].id, start: futureHour(4).toISOString(), timeZone: "UTC" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const booking = await db.booking.findUniqueOrThrow({ where: { id: res.body.bookingId } });
    expect(booking.studentId).toBe(account.id);
    const session = emulators.stripe.state.checkoutSessions.get(booking.stripeCheckoutSessionId!);
    expect(session?.customer_email).toBe(`renamed-${account.email}`);
  });

  it("ends at once when the sessions are revoked, the account disabled or deleted: 401, nothing held, nothing sent to Stripe", async () => {
    const { offerings } = await createCoach();
    const valid = (hours: number) => ({ offeringId: offerings[0].id, start: futureHour(hours).toISOString(), timeZone: "UTC" });

    const revoked = await signedIn("STUDENT");
    await revokeSessions(revoked.account.id);
    const sessionsBefore = checkoutSessions();
    expect((await post(revoked.cookie, valid(5))).status).toBe(401);
    // Whatever the body: a malformed one or an unknown offering is still the session's 401 first, as in route().
    expect((await post(revoked.cookie, { offeringId: "" })).status).toBe(401);
    expect((await post(revoked.cookie, { ...valid(5), offeringId: "no-such-offering" })).status).toBe(401);
    expect(await held(revoked.account.id)).toBe(0);

    const disabled = await signedIn("STUDENT");
    await db.user.update({ where: { id: disabled.account.id }, data: { disabledAt: new Date() } });
    expect((await post(disabled.cookie, valid(6))).status).toBe(401);
    expect(await held(disabled.account.id)).toBe(0);

    const deleted = await signedIn("STUDENT");
    await db.user.delete({ where: { id: deleted.account.id } });
    expect((await post(deleted.cookie, valid(7))).status).toBe(401);

    expect((await post(null, valid(8))).status).toBe(401);
    expect(checkoutSessions()).toBe(sessionsBefore);
  });

  it("refuses another role with 403 whatever the body, and a role changed since sign-in with 401", async () => {
    const { offerings } = await createCoach();
    const coach = await signedIn("COACH");
    const valid = { offeringId: offerings[0].id, start: futureHour(9).toISOString(), timeZone: "UTC" };
    const refused = await post(coach.cookie, valid);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect((await post(coach.cookie, { offeringId: "" })).status).toBe(403);
    expect(await db.booking.count({ where: { offeringId: offerings[0].id } })).toBe(0);

    // A student made a coach: their old token is revoked with the change (lib/auth/session-check.ts).
    const student = await signedIn("STUDENT");
    await revokeSessions(student.account.id, { role: "COACH" });
    expect((await post(student.cookie, valid)).status).toBe(401);
  });

  it("answers a signed-in student's bad input with route()'s 4xx", async () => {
    const { cookie } = await signedIn("STUDENT");
    expect(await post(cookie, { offeringId: "" })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION" } } });
    expect(await post(cookie, { offeringId: "no-such-offering", start: futureHour(4).toISOString(), timeZone: "UTC" })).toMatchObject({
      status: 404,
      body: { error: { code: "NOT_FOUND" } },
    });
  });
});

describe("routeWithAccountRead", () => {
  it("never sends an answer its handler gave without admitting the caller (a 500 that leaks nothing)", async () => {
    const { cookie } = await signedIn("STUDENT");
    const forgetful = routeWithAccountRead("STUDENT", async () => NextResponse.json({ secret: "not for you" }));
    const req = jsonRequest("/api/x", { a: 1 }, { cookie });
    const response = await forgetful(req, noParams);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("not for you");
  });

  it("lets an admitted handler's own error through, and admits once", async () => {
    const { account, cookie } = await signedIn("STUDENT");
    let admissions = 0;
    const handler = routeWithAccountRead("STUDENT", async ({ caller }) => {
      const first = await caller.admit(undefined);
      const again = await caller.admit(undefined);
      admissions += first === again ? 1 : 2;
      expect(first).toMatchObject({ id: account.id, role: "STUDENT" });
      throw new AppError("CONFLICT", "Taken.");
    });
    const req = jsonRequest("/api/x", { a: 1 }, { cookie });
    const response = await handler(req, noParams);
    expect(response.status).toBe(409);
    expect(admissions).toBe(1);
  });
});
