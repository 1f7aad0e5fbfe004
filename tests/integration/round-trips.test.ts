import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// First: it replaces next/headers' cookies() before any module binds it (the route test below sends a real cookie).
import { useRequestHeaders } from "../support/next-headers-mock";
import { signIn } from "../support/sign-in";
import { createBooking } from "@/lib/booking/create";
import { resetSlotAnswers, slotAnswer, slotAnswerStats } from "@/lib/booking/slot-answers";
import { findSlotStarts } from "@/lib/booking/slots";
import { useEmulators } from "../support/emulators";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { POST as createBookingRoute } from "@/app/api/calcom/create-booking/route";
import { createAccount } from "@/lib/accounts/service";
import { startWireCounter, type WireCounter } from "../support/wire-counter";

/**
 * Issue #11's "one round trip" rules, counted on the wire (every statement this file's code sends to PostgreSQL goes
 * through a relay that reads the protocol): a change that adds a statement to a hot path fails here, with the SQL
 * listed. Counts, not timings; the timings are `npm run bench`'s.
 */
let counter: WireCounter;
const realUrl = process.env.DATABASE_URL!;
beforeAll(async () => {
  counter = await startWireCounter(realUrl);
  process.env.DATABASE_URL = counter.url; // lib/db/client.ts reads it lazily: the pools open through the relay
});
afterAll(async () => {
  await counter.stop();
  process.env.DATABASE_URL = realUrl;
});
useEmulators();

async function counted<T>(work: () => Promise<T>) {
  counter.take();
  const result = await work();
  return { result, ...counter.take() };
}

describe("database round trips of the hot paths", () => {
  it("a slot read is one statement", async () => {
    const { coach, offerings } = await createCoach();
    const from = futureHour(1);
    const query = { coachId: coach.id, offeringId: offerings[0].id, from, to: new Date(from.getTime() + 60 * 86_400_000), timeZone: "America/New_York" };
    await findSlotStarts(query); // prepares the named statement on a connection
    const { result, roundTrips, statements } = await counted(() => findSlotStarts(query));
    expect(result.starts.length).toBeGreaterThan(0);
    expect(statements, statements.join("\n")).toHaveLength(1);
    expect(roundTrips).toBe(1);

    // The route's kept answer (lib/booking/slot-answers.ts) asks the same one statement whether it is still
    // current: one round trip on a miss and on a hit.
    resetSlotAnswers();
    const miss = await counted(() => slotAnswer(query));
    const hit = await counted(() => slotAnswer(query));
    expect(hit.result.body).toBe(miss.result.body);
    expect(slotAnswerStats).toEqual({ hits: 1, misses: 1 });
    expect([miss.roundTrips, hit.roundTrips]).toEqual([1, 1]);
    expect(hit.statements, hit.statements.join("\n")).toHaveLength(1);
  });

  it("create-booking: one read, the hold written with its checkout and payment, the cap re-check (the Stripe call before the write)", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    const input = (hours: number) => ({ offeringId: offerings[0].id, start: futureHour(hours).toISOString(), timeZone: "UTC" });
    await createBooking(student, input(3));
    const { result, statements } = await counted(() => createBooking(student, input(5)));
    expect(result.checkoutUrl).toBeTruthy();
    expect(statements.map((sql) => sql.trim().split(/\s+/).slice(0, 2).join(" ")), statements.join("\n\n")).toEqual([
      "SELECT json_build_object(", // offering context + resumable hold + live-hold count (loadHoldContext)
      "WITH hold", // the hold with its Checkout Session + the PENDING payment (writeHoldWithCheckout)
      "SELECT id", // the cap re-check (withinHoldCap)
    ]);
    // Resuming the same slot's hold is the one read and nothing else.
    const resumed = await counted(() => createBooking(student, input(5)));
    expect(resumed.result.bookingId).toBe(result.bookingId);
    expect(resumed.statements, resumed.statements.join("\n\n")).toHaveLength(1);
  });

  it("create-booking through its route, signed in: the account check rides on the read (two statements as the load test runs it)", async () => {
    const { offerings } = await createCoach();
    const account = await createAccount({ role: "STUDENT", name: "Rowan Route", email: "rowan.route@example.com", password: "long-enough-pw", timeZone: "UTC" });
    const cookie = await signIn(account.email, "long-enough-pw");
    const book = async (hours: number) => {
      const req = new NextRequest("http://localhost/api/calcom/create-booking", {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ offeringId: offerings[0].id, start: futureHour(hours).toISOString(), timeZone: "UTC" }),
      });
      useRequestHeaders(req.headers);
      const response = await createBookingRoute(req, { params: Promise.resolve({}) } as { params: Promise<never> });
      expect(response.status).toBe(201);
    };
    const limits = process.env.RATE_LIMITS;
    process.env.RATE_LIMITS = "off"; // the benchmark's setting: no rate-limit counters, no hold cap
    try {
      await book(3);
      const { statements } = await counted(() => book(5));
      expect(statements.map((sql) => sql.trim().split(/\s+/).slice(0, 2).join(" ")), statements.join("\n\n")).toEqual([
        "SELECT json_build_object(", // offering context + resumable hold + the student's account for the session check
        "WITH hold", // the hold with its Checkout Session + the PENDING payment
      ]);
      expect(statements[0]).toContain("FROM users WHERE id = $6::text");
    } finally {
      process.env.RATE_LIMITS = limits;
    }
  });
});
