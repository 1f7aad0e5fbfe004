import { beforeEach, describe, expect, it } from "vitest";
import { createBooking } from "@/lib/booking/create";
import { planHold } from "@/lib/booking/hold";
import { loadOfferingRules } from "@/lib/booking/rules";
import { db } from "@/lib/db/client";
import { createCheckoutSession } from "@/lib/payments/checkout";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { useEmulators } from "../support/emulators";
import { writeAroundAWaitingHold } from "../support/holds";

/**
 * create-booking makes the Checkout Session first and then writes the hold with it (lib/booking/create.ts). These
 * are the orders that step can go wrong in. Its own file: the last test moves the Stripe emulator's clock a day on.
 */
const { stripe } = useEmulators({ webhooks: true });
beforeEach(() => stripe.faults.reset());

describe("the Checkout Session before the hold", () => {
  it("expires the losers' unused Checkout Sessions when students race for one slot", async () => {
    const { offerings } = await createCoach();
    const students = await Promise.all(Array.from({ length: 8 }, () => createStudent()));
    const start = futureHour(14).toISOString();
    const before = new Set(stripe.state.checkoutSessions.keys());
    // A slow Stripe keeps both requests in flight after both reads: both pass the engine's check on the same
    // state and both get a Checkout Session; the exclusion constraint lets one hold be written.
    stripe.faults.apiDelayMs = 150;
    const results = await Promise.allSettled(students.map((s) => createBooking(s, { offeringId: offerings[0].id, start, timeZone: "UTC" })));
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((r) => r.reason)).toEqual(Array(7).fill(expect.objectContaining({ code: "SLOT_TAKEN", status: 409 })));
    const holds = await db.booking.findMany({ where: { offeringId: offerings[0].id }, include: { payments: true } });
    expect(holds).toHaveLength(1);
    expect(holds[0].payments).toHaveLength(1);
    // Every one made a session. The losers' are expired (only open
    // sessions can be expired: ../shared/stripe/NOTES.md, expires_at), so they can never be paid.
    const made = [...stripe.state.checkoutSessions.values()].filter((cs) => !before.has(cs.id));
    expect(made).toHaveLength(8);
    expect(made.map((cs) => [cs.metadata?.bookingId === holds[0].id, cs.status]).sort()).toEqual([...Array(7).fill([false, "expired"]), [true, "open"]]);
  });

  it("gives way without a deadlock when another transaction writes on both sides of the waiting hold", async () => {
    const { coach, offerings } = await createCoach();
    const [other, student] = [await createStudent(), await createStudent()];
    const start = futureHour(15);
    const before = new Set(stripe.state.checkoutSessions.keys());
    const { waitedForA, cWriteMs, outcome } = await writeAroundAWaitingHold(
      { coachId: coach.id, offeringId: offerings[0].id, otherStudentId: other.id, start },
      () => createBooking(student, { offeringId: offerings[0].id, start: start.toISOString(), timeZone: "UTC" }),
      600, // the read, the engine and the Checkout Session come first; the write then waits
    );
    expect(waitedForA).toBe(true);
    expect(cWriteMs).toBeLessThan(500);
    expect(outcome).toMatchObject({ ok: false, error: { code: "SLOT_TAKEN", status: 409 } });
    expect(await db.booking.count({ where: { coachId: coach.id, studentId: student.id } })).toBe(0);
    const made = [...stripe.state.checkoutSessions.values()].filter((cs) => !before.has(cs.id));
    expect(made.map((cs) => cs.status)).toEqual(["expired"]);
  });

  it("leaves only an unpayable session when the process dies between the session and the hold", async () => {
    const { offerings } = await createCoach();
    const student = await createStudent();
    const start = futureHour(15);
    // The first step of createBooking alone, as if the process were killed right after Stripe answered.
    const context = await loadOfferingRules(db, offerings[0].id, new Date(), new Date(start.getTime() - 86_400_000), new Date(start.getTime() + 86_400_000));
    const plan = planHold(context, { studentId: student.id, offeringId: offerings[0].id, start, studentTimeZone: "UTC", holdMinutes: 30 });
    const session = await createCheckoutSession(plan, student, "http://127.0.0.1:9");
    // Nothing was written: the slot is free, and the session's URL never reached anyone.
    expect(await db.booking.count({ where: { offeringId: offerings[0].id } })).toBe(0);
    await expect(createBooking(student, { offeringId: offerings[0].id, start: start.toISOString(), timeZone: "UTC" })).resolves.toMatchObject({ amountMinor: 5000 });
    // Stripe expires the session at its expires_at; the checkout.session.expired webhook names no hold of ours and
    // is acknowledged without changing anything (../shared/stripe/NOTES.md: release only if the session matches).
    stripe.clock.advance(25 * 3600);
    const expired = await stripe.waitForEvent("checkout.session.expired", { predicate: (d) => (d.event.data.object as { id: string }).id === session.id });
    expect(expired.status).toBe(200);
    await stripe.waitForDeliveries();
    expect(await db.booking.count({ where: { id: plan.id } })).toBe(0);
    expect(await db.payment.count({ where: { stripeCheckoutSessionId: session.id } })).toBe(0);
  });
});
