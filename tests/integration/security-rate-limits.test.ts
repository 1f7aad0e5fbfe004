import { NextRequest } from "next/server";
import pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { afterAll, describe, expect, it } from "vitest";
import { useRequestHeaders } from "../support/next-headers-mock";
import { actAs, jsonRequest, noParams } from "../support/session";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { POST as signUp } from "@/app/api/accounts/route";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { GET as availableSlots } from "@/app/api/calcom/available-slots/route";
import { POST as confirmBooking } from "@/app/api/calcom/confirm-booking/route";
import { POST as cancelRoute } from "@/app/api/calcom/cancel-booking/route";
import { POST as rescheduleRoute } from "@/app/api/calcom/reschedule-booking/route";
import { POST as createBookingRoute } from "@/app/api/calcom/create-booking/route";
import { createAccount } from "@/lib/accounts/service";
import { db } from "@/lib/db/client";
import { MAX_LIVE_HOLDS_PER_STUDENT, RATE_LIMITS } from "@/lib/rate-limit";
import { useEmulators } from "../support/emulators";

useEmulators({ env: { RATE_LIMITS: undefined } });
afterAll(() => actAs(null));

/** Requests refused by each limit in this file (docs/SECURITY.md quotes them). */
const refused: Record<string, number> = {};

let address = 0;
const newAddress = () => `203.0.113.${++address}`;
const asStudent = (s: { id: string; name: string; email: string; timeZone: string }) => actAs({ id: s.id, name: s.name, email: s.email, role: "STUDENT", timeZone: s.timeZone });

async function expect429(response: Response, limit: string, message: RegExp) {
  expect(response.status).toBe(429);
  const body = await response.json();
  expect(body.error).toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(message) });
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  refused[limit] = (refused[limit] ?? 0) + 1;
  return retryAfter;
}

describe("create-booking", () => {
  it("is limited per account, whatever the body, with Retry-After", async () => {
    const student = await createStudent();
    asStudent(student);
    const ip = newAddress();
    for (let i = 0; i < RATE_LIMITS.createBookingPerAccount.points; i++) {
      const response = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: "none" }, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams);
      expect(response.status).toBe(400);
    }
    const retry = await expect429(await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: "none" }, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams), "createBookingPerAccount", /many bookings/);
    expect(retry).toBeLessThanOrEqual(RATE_LIMITS.createBookingPerAccount.durationSeconds);
    // Another student on another address is not affected.
    asStudent(await createStudent());
    expect((await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: "none" }, { headers: { "content-type": "application/json", "x-forwarded-for": newAddress() } }), noParams)).status).toBe(400);
  });

  it("is limited per client address across accounts (the last X-Forwarded-For hop counts)", async () => {
    const ip = newAddress();
    let sent = 0;
    while (sent < RATE_LIMITS.createBookingPerAddress.points) {
      asStudent(await createStudent());
      for (let i = 0; i < 5 && sent < RATE_LIMITS.createBookingPerAddress.points; i++, sent++) {
        // A spoofed first hop does not give a new address: the proxy's (last) one counts.
        const response = await createBookingRoute(jsonRequest("/api/calcom/create-booking", {}, { headers: { "content-type": "application/json", "x-forwarded-for": `10.0.0.${sent}, ${ip}` } }), noParams);
        expect(response.status).toBe(400);
      }
    }
    asStudent(await createStudent());
    await expect429(await createBookingRoute(jsonRequest("/api/calcom/create-booking", {}, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams), "createBookingPerAddress", /many bookings/);
  });

  it(`caps a student's live unpaid holds at ${MAX_LIVE_HOLDS_PER_STUDENT}; an expired hold frees a place`, async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    asStudent(student);
    const book = (day: number) => createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start: futureHour(day).toISOString(), timeZone: "UTC" }, { headers: { "content-type": "application/json", "x-forwarded-for": newAddress() } }), noParams);
    const held: string[] = [];
    for (let i = 0; i < MAX_LIVE_HOLDS_PER_STUDENT; i++) {
      const response = await book(10 + i);
      expect(response.status).toBe(201);
      held.push((await response.json()).bookingId);
    }
    const refusedHold = await book(20);
    expect(refusedHold.status).toBe(429);
    expect((await refusedHold.json()).error.message).toMatch(/already have 2 unpaid bookings/);
    // Retry-After: when the oldest hold expires (HOLD_MINUTES, default 30).
    expect(Number(refusedHold.headers.get("retry-after"))).toBeGreaterThan(25 * 60);
    expect(Number(refusedHold.headers.get("retry-after"))).toBeLessThanOrEqual(30 * 60);
    refused.liveHoldCap = (refused.liveHoldCap ?? 0) + 1;
    expect(await db.booking.count({ where: { studentId: student.id } })).toBe(MAX_LIVE_HOLDS_PER_STUDENT);
    // At the cap, "Continue to payment" again on a slot the student holds resumes that hold (not a 429).
    const resumed = await book(11);
    expect(resumed.status).toBe(201);
    expect((await resumed.json()).bookingId).toBe(held[1]);
    await db.booking.update({ where: { id: held[0] }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    expect((await book(21)).status).toBe(201);
  });

  it("the cap holds when one student's requests race", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    asStudent(student);
    const answers = await Promise.all([30, 31, 32, 33, 34].map((day) => createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start: futureHour(day).toISOString(), timeZone: "UTC" }, { headers: { "content-type": "application/json", "x-forwarded-for": newAddress() } }), noParams)));
    expect(answers.filter((r) => r.status === 201).length).toBeLessThanOrEqual(MAX_LIVE_HOLDS_PER_STUDENT);
    expect(answers.every((r) => r.status === 201 || r.status === 429)).toBe(true);
    expect(await db.booking.count({ where: { studentId: student.id, status: "PENDING_PAYMENT" } })).toBeLessThanOrEqual(MAX_LIVE_HOLDS_PER_STUDENT);
  });
});

describe("confirm-booking, available-slots and sign-up", () => {
  it("confirm-booking is limited per account", async () => {
    asStudent(await createStudent());
    for (let i = 0; i < RATE_LIMITS.confirmBookingPerClient.points; i++) {
      expect((await confirmBooking(jsonRequest("/api/calcom/confirm-booking", { bookingId: "nope" }), noParams)).status).toBe(404);
    }
    await expect429(await confirmBooking(jsonRequest("/api/calcom/confirm-booking", { bookingId: "nope" }), noParams), "confirmBookingPerClient", /payment checks/);
  });

  it("cancel and reschedule are limited per account (one budget for both)", async () => {
    asStudent(await createStudent());
    for (let i = 0; i < RATE_LIMITS.bookingChangePerAccount.points; i++) {
      const route = i % 2 === 0 ? cancelRoute : rescheduleRoute;
      const body = i % 2 === 0 ? { bookingId: "nope", dryRun: true } : { bookingId: "nope", start: "2030-01-01T10:00:00Z", timeZone: "UTC", dryRun: true };
      expect((await route(jsonRequest("/api/calcom/x", body), noParams)).status).toBe(404);
    }
    await expect429(await cancelRoute(jsonRequest("/api/calcom/cancel-booking", { bookingId: "nope", dryRun: true }), noParams), "bookingChangePerAccount", /cancel or reschedule/);
  });

  it("available-slots is limited per client address", async () => {
    actAs(null);
    const ip = newAddress();
    for (let i = 0; i < RATE_LIMITS.availableSlotsPerClient.points; i++) {
      expect((await availableSlots(jsonRequest("/api/calcom/available-slots", undefined, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams)).status).toBe(400);
    }
    await expect429(await availableSlots(jsonRequest("/api/calcom/available-slots", undefined, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams), "availableSlotsPerClient", /slot look-ups/);
    expect((await availableSlots(jsonRequest("/api/calcom/available-slots", undefined, { headers: { "content-type": "application/json", "x-forwarded-for": newAddress() } }), noParams)).status).toBe(400);
  });

  it("without a proxy header nobody can be told apart, so one client cannot exhaust a shared per-address bucket", async () => {
    actAs(null);
    for (let i = 0; i < RATE_LIMITS.availableSlotsPerClient.points + 5; i++) {
      expect((await availableSlots(jsonRequest("/api/calcom/available-slots"), noParams)).status).toBe(400);
    }
  });

  it("sign-up is limited per client address", async () => {
    actAs(null);
    const ip = newAddress();
    for (let i = 0; i < RATE_LIMITS.signUpPerAddress.points; i++) {
      const response = await signUp(jsonRequest("/api/accounts", { role: "STUDENT", name: "Many", email: `many-${i}@example.com`, password: "long-enough-pw", timeZone: "UTC" }, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams);
      expect(response.status).toBe(201);
    }
    await expect429(await signUp(jsonRequest("/api/accounts", { role: "STUDENT", name: "Many", email: "one-more@example.com", password: "long-enough-pw", timeZone: "UTC" }, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams), "signUpPerAddress", /sign-ups/);
  });
});

/** A real next-auth credentials sign-in: csrf token and cookie first, then the callback. */
async function csrf(ip: string) {
  const req = new NextRequest("http://localhost/api/auth/csrf", { headers: { "content-type": "application/json", "x-forwarded-for": ip } });
  useRequestHeaders(req.headers);
  const response = await authGet(req, { params: Promise.resolve({ nextauth: ["csrf"] }) });
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { token: (await response.json()).csrfToken as string, cookie };
}

async function signIn(email: string, password: string, ip: string) {
  const { token, cookie } = await csrf(ip);
  const req = new NextRequest("http://localhost/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": ip },
    body: new URLSearchParams({ csrfToken: token, email, password, json: "true" }).toString(),
  });
  useRequestHeaders(req.headers);
  return authPost(req, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
}

describe("sign-in: growing delays per account and per address", () => {

  it("locks an account after repeated failures, for a delay that doubles; success works again after the wait", async () => {
    const account = await createAccount({ role: "STUDENT", name: "Locked Out", email: "locked@example.com", password: "right-password", timeZone: "UTC" });
    const limit = RATE_LIMITS.signInFailuresPerAccount;
    // Each attempt from a new address: only the account's count grows.
    for (let i = 0; i < limit.points; i++) expect((await signIn(account.email, "wrong", newAddress())).status).toBe(401);
    expect((await signIn(account.email, "wrong", newAddress())).status).toBe(401); // one past the free attempts: locked
    const locked = await signIn(account.email, "right-password", newAddress());
    const firstWait = await expect429(locked, "signInFailuresPerAccount", /failed sign-in attempts/);
    expect(firstWait).toBe(limit.baseDelaySeconds);
    await new Promise((resolve) => setTimeout(resolve, firstWait * 1000 + 100));
    expect((await signIn(account.email, "wrong", newAddress())).status).toBe(401);
    const secondWait = await expect429(await signIn(account.email, "right-password", newAddress()), "signInFailuresPerAccount", /failed sign-in attempts/);
    expect(secondWait).toBe(limit.baseDelaySeconds * 2);
    await new Promise((resolve) => setTimeout(resolve, secondWait * 1000 + 100));
    const ok = await signIn(account.email, "right-password", newAddress());
    expect(ok.status).toBe(200);
    // The success cleared the count: a single wrong password is a plain 401 again.
    expect((await signIn(account.email, "wrong", newAddress())).status).toBe(401);
    expect((await signIn(account.email, "right-password", newAddress())).status).toBe(200);
  }, 30_000);

  it("locks an address that tries many accounts", async () => {
    const ip = newAddress();
    for (let i = 0; i <= RATE_LIMITS.signInFailuresPerAddress.points; i++) expect((await signIn(`nobody-${i}@example.com`, "guess", ip)).status).toBe(401);
    const locked = await signIn("someone-else@example.com", "guess", ip);
    await expect429(locked, "signInFailuresPerAddress", /failed sign-in attempts/);
    // next-auth's client reads `url` to report the error; the JSON error shape is there too.
    expect((await signIn("someone-else@example.com", "guess", ip).then((r) => r.json())).url).toContain("error=RateLimited");
  }, 30_000);
});

describe("the outside test's attacks, replayed", () => {
  it("one student trying to hold all 52 free slots of a coach holds 2; 100 wrong passwords cost 6 password checks", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    asStudent(student);
    const ip = newAddress();
    const holds: Record<number, number> = {};
    for (let i = 0; i < 52; i++) {
      const response = await createBookingRoute(jsonRequest("/api/calcom/create-booking", { offeringId: offerings[0].id, start: futureHour(40 + i).toISOString(), timeZone: "UTC" }, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams);
      holds[response.status] = (holds[response.status] ?? 0) + 1;
    }
    expect(holds[201]).toBe(MAX_LIVE_HOLDS_PER_STUDENT);
    expect(holds[429]).toBe(52 - MAX_LIVE_HOLDS_PER_STUDENT);

    await createAccount({ role: "STUDENT", name: "Target", email: "target@example.com", password: "right-password", timeZone: "UTC" });
    const attackerIp = newAddress();
    const answers: Record<number, number> = {};
    const started = Date.now();
    for (let i = 0; i < 100; i++) {
      const response = await signIn("target@example.com", `guess-${i}`, attackerIp);
      answers[response.status] = (answers[response.status] ?? 0) + 1;
    }
    const seconds = (Date.now() - started) / 1000;
    // The free failures plus the one that locks; a slow run may see one more after the first 2 s lock lapses.
    expect(answers[401]).toBeGreaterThanOrEqual(RATE_LIMITS.signInFailuresPerAccount.points + 1);
    expect(answers[401]).toBeLessThanOrEqual(RATE_LIMITS.signInFailuresPerAccount.points + 2);
    expect(answers[429]).toBe(100 - answers[401]);
    console.log(`attack replay: 52 hold attempts -> ${JSON.stringify(holds)}; 100 wrong passwords in ${seconds.toFixed(1)} s -> ${JSON.stringify(answers)}`);
  }, 60_000);
});

describe("the limiter's state is in PostgreSQL", () => {
  it("a second process (its own pool and limiter) sees the same counts; RATE_LIMITS=off turns limits off", async () => {
    asStudent(await createStudent());
    const ip = newAddress();
    for (let i = 0; i < RATE_LIMITS.availableSlotsPerClient.points; i++) await availableSlots(jsonRequest("/api/calcom/available-slots", undefined, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams);
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    try {
      const other = new RateLimiterPostgres({ storeClient: pool, storeType: "pool", tableName: "rate_limits", tableCreated: true, clearExpiredByTimeout: false, keyPrefix: "availableSlotsPerClient", points: RATE_LIMITS.availableSlotsPerClient.points, duration: RATE_LIMITS.availableSlotsPerClient.durationSeconds });
      expect((await other.get(`ip:${ip}`))?.consumedPoints).toBe(RATE_LIMITS.availableSlotsPerClient.points);
      await expect(other.consume(`ip:${ip}`)).rejects.toMatchObject({ remainingPoints: 0 });
    } finally {
      await pool.end();
    }
    await expect429(await availableSlots(jsonRequest("/api/calcom/available-slots", undefined, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams), "availableSlotsPerClient", /slot look-ups/);
    process.env.RATE_LIMITS = "off";
    try {
      expect((await availableSlots(jsonRequest("/api/calcom/available-slots", undefined, { headers: { "content-type": "application/json", "x-forwarded-for": ip } }), noParams)).status).toBe(400);
    } finally {
      delete process.env.RATE_LIMITS;
    }
  });

  it("reports the refusals per limit", () => {
    console.log(`rate limits: requests refused per limit ${JSON.stringify(refused)}`);
    for (const name of ["createBookingPerAccount", "createBookingPerAddress", "liveHoldCap", "confirmBookingPerClient", "bookingChangePerAccount", "availableSlotsPerClient", "signUpPerAddress", "signInFailuresPerAccount", "signInFailuresPerAddress"]) {
      expect(refused[name], name).toBeGreaterThan(0);
    }
  });
});
