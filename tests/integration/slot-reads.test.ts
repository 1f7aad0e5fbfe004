import { afterEach, describe, expect, it } from "vitest";
import { createBooking } from "@/lib/booking/create";
import { loadOfferingRules } from "@/lib/booking/rules";
import { findSlots } from "@/lib/booking/slots";
import { calcomBreaker, calcomSlotStats, resetCalcomSlotCache } from "@/lib/calcom-sync/slots";
import { syncCoach } from "@/lib/calcom-sync/sync";
import { db } from "@/lib/db/client";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

const { cal } = useEmulators({ calcom: {} });

afterEach(() => {
  cal.faults.reset();
  resetCalcomSlotCache();
  calcomBreaker.succeeded();
});

const DAY = 86_400_000;
const version = async (coachId: string) => (await db.coachProfile.findUniqueOrThrow({ where: { id: coachId }, select: { availabilityVersion: true } })).availabilityVersion;
const slotCalls = () => cal.requests.filter((r) => r.path === "/v2/slots").length;

describe("one round trip for a slot read", () => {
  it("loads rules, only the overrides that can matter for the window, and live busy time in the window", async () => {
    const { coach, offerings } = await createCoach({ bufferAfterMinutes: 10 });
    const student = await createStudent();
    const inWindow = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);
    await db.dateOverride.createMany({
      data: [
        { coachId: coach.id, date: "2020-01-01", startMinute: null, endMinute: null },
        { coachId: coach.id, date: inWindow, startMinute: 600, endMinute: 660 },
        { coachId: coach.id, date: new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10), startMinute: null, endMinute: null },
      ],
    });
    const start = futureHour(3, 9);
    const row = (status: "CONFIRMED" | "EXPIRED" | "PENDING_PAYMENT", at: Date) => ({
      coachId: coach.id, studentId: student.id, offeringId: offerings[0].id, status, startsAt: at, endsAt: new Date(at.getTime() + 3_600_000),
      blockedFrom: at, blockedUntil: new Date(at.getTime() + 3_600_000 + 600_000), studentTimeZone: "UTC", title: "x", priceMinor: 1, currency: "eur", policy: {},
    });
    await db.booking.createMany({ data: [row("CONFIRMED", start), row("EXPIRED", new Date(start.getTime() + 2 * 3_600_000)), row("CONFIRMED", new Date(Date.now() - 30 * DAY))] });
    const hold = await db.booking.create({ data: row("PENDING_PAYMENT", new Date(start.getTime() + 4 * 3_600_000)) });

    const now = new Date();
    const { offering, coach: loadedCoach, rules } = await loadOfferingRules(db, offerings[0].id, now, now, new Date(now.getTime() + 10 * DAY));
    expect(offering).toMatchObject({ id: offerings[0].id, coachId: coach.id, durationMinutes: 60, currency: "eur", calcomEventTypeId: null });
    expect(loadedCoach).toMatchObject({ id: coach.id, bufferAfterMinutes: 10, calcomSyncedAt: null, availabilityVersion: expect.any(Number) });
    expect(rules.weeklyRules).toHaveLength(7);
    expect(rules.dateOverrides).toEqual([{ date: inWindow, startMinute: 600, endMinute: 660 }]);
    expect(rules.busy.map((b) => b.start.getTime()).sort()).toEqual([start.getTime(), hold.startsAt.getTime()]);
    expect(rules.busy[0].end.getTime() - rules.busy[0].start.getTime()).toBe(3_600_000 + 600_000);

    // Inside a transaction the same statement runs on the transaction's own connection, with the same answer.
    const inTransaction = await db.$transaction((tx) => loadOfferingRules(tx, offerings[0].id, now, now, new Date(now.getTime() + 10 * DAY)));
    expect(inTransaction.rules).toEqual(rules);
    expect(inTransaction.coach).toEqual(loadedCoach);
    const excluding = await loadOfferingRules(db, offerings[0].id, now, now, new Date(now.getTime() + 10 * DAY), hold.id);
    expect(excluding.rules.busy.map((b) => b.start.getTime())).toEqual([start.getTime()]);
    await expect(loadOfferingRules(db, "missing", now, now, now)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("reads busy time through the exclusion constraint's index, whatever the history", async () => {
    const { coach, offerings } = await createCoach();
    const student = await createStudent();
    const base = Date.now() - 400 * DAY;
    await db.booking.createMany({
      data: Array.from({ length: 3000 }, (_, i) => {
        const at = new Date(base + i * 3_600_000);
        return { coachId: coach.id, studentId: student.id, offeringId: offerings[0].id, status: i % 5 === 0 ? ("EXPIRED" as const) : ("CONFIRMED" as const), startsAt: at, endsAt: new Date(at.getTime() + 3_600_000), blockedFrom: at, blockedUntil: new Date(at.getTime() + 3_600_000), studentTimeZone: "UTC", title: "x", priceMinor: 1, currency: "eur", policy: {} };
      }),
    });
    await db.$executeRawUnsafe("ANALYZE bookings");
    const from = new Date();
    const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      `EXPLAIN SELECT 1 FROM bookings b WHERE b.coach_id = $1 AND b.status IN ('PENDING_PAYMENT', 'CONFIRMED')
       AND tstzrange(b.blocked_from, b.blocked_until, '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')`,
      coach.id, from, new Date(from.getTime() + 60 * DAY),
    );
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("bookings_no_overlap");
  });
});

describe("availability_version", () => {
  it("is bumped by holds, status changes, availability, offering, profile and sync changes, not by unrelated writes", async () => {
    const { coach, offerings } = await createCoach();
    const student = await createStudent();
    let v = await version(coach.id);
    const bumped = async () => {
      const now = await version(coach.id);
      const changed = now > v;
      v = now;
      return changed;
    };
    const start = futureHour(3, 10);
    const booking = await db.booking.create({
      data: { coachId: coach.id, studentId: student.id, offeringId: offerings[0].id, status: "PENDING_PAYMENT", startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), blockedFrom: start, blockedUntil: new Date(start.getTime() + 3_600_000), studentTimeZone: "UTC", title: "x", priceMinor: 1, currency: "eur", policy: {} },
    });
    expect(await bumped()).toBe(true);
    await db.booking.update({ where: { id: booking.id }, data: { checkoutUrl: "https://example.test/pay" } });
    expect(await bumped()).toBe(false);
    await db.booking.update({ where: { id: booking.id }, data: { status: "EXPIRED" } });
    expect(await bumped()).toBe(true);
    await db.availabilityRule.create({ data: { coachId: coach.id, weekday: 1, startMinute: 0, endMinute: 60 } });
    expect(await bumped()).toBe(true);
    await db.dateOverride.create({ data: { coachId: coach.id, date: "2030-01-01", startMinute: null, endMinute: null } });
    expect(await bumped()).toBe(true);
    await db.offering.update({ where: { id: offerings[0].id }, data: { durationMinutes: 45 } });
    expect(await bumped()).toBe(true);
    await db.coachProfile.update({ where: { id: coach.id }, data: { bufferBeforeMinutes: 5 } });
    expect(await bumped()).toBe(true);
    await db.calcomAccount.create({ data: { coachId: coach.id } });
    expect(await bumped()).toBe(true);
    await db.calcomAccount.update({ where: { coachId: coach.id }, data: { syncError: "x" } });
    expect(await bumped()).toBe(false);
    await db.calcomAccount.update({ where: { coachId: coach.id }, data: { syncedAt: new Date() } });
    expect(await bumped()).toBe(true);
  });
});

describe("Cal.com slot answers", () => {
  async function syncedCoach() {
    const fixture = await createCoach({ timeZone: "Europe/Berlin", rules: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })) });
    await syncCoach(fixture.user.id);
    const from = new Date(Date.now() + 2 * DAY);
    from.setUTCHours(0, 0, 0, 0);
    return { ...fixture, query: { coachId: fixture.coach.id, offeringId: fixture.offerings[0].id, from, to: new Date(from.getTime() + 7 * DAY), timeZone: "UTC" } };
  }

  it("are cached per coach, event type and window until the coach's availability version changes", async () => {
    const { query, offerings } = await syncedCoach();
    const calls = slotCalls();
    const first = await findSlots(query);
    expect(first.source).toBe("calcom");
    expect(await findSlots(query)).toEqual(first);
    expect(slotCalls()).toBe(calls + 1);
    // A different window is a different answer.
    await findSlots({ ...query, to: new Date(query.to.getTime() - DAY) });
    expect(slotCalls()).toBe(calls + 2);
    // A hold of this coach (through any app instance: the counter lives in the database) makes the next read ask again.
    const student = await createStudent();
    const held = await createBooking(student, { offeringId: offerings[0].id, start: first.slots[0].start, timeZone: "UTC" });
    expect(held.bookingId).toBeTruthy();
    const after = await findSlots(query);
    expect(slotCalls()).toBe(calls + 3);
    expect(after.source).toBe("calcom");
    expect(after.slots.map((s) => s.start)).not.toContain(first.slots[0].start);
  });

  it("offer only the slots our own rules also offer (Cal.com may shift or keep slots we would refuse)", async () => {
    const { coach, query } = await syncedCoach();
    const before = await findSlots(query);
    // Narrow the local hours without syncing: Cal.com still offers 09:00-17:00 Berlin, we now offer 09:00-12:00.
    await db.availabilityRule.updateMany({ where: { coachId: coach.id }, data: { endMinute: 720 } });
    const after = await findSlots(query);
    expect(after.source).toBe("calcom");
    expect(after.slots.length).toBeGreaterThan(0);
    expect(after.slots.length).toBeLessThan(before.slots.length);
    for (const slot of after.slots) {
      const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", hourCycle: "h23" }).format(new Date(slot.start)));
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThan(12);
    }
  });

  it("fail fast to the local engine once the circuit breaker opens, and say so", async () => {
    const { query } = await syncedCoach();
    const stats = { ...calcomSlotStats };
    cal.faults.failNext(100, { status: 500, path: "/v2/slots" });
    for (let i = 0; i < 3; i++) {
      const answer = await findSlots({ ...query, to: new Date(query.to.getTime() - i * 3_600_000) });
      expect(answer).toMatchObject({ source: "local", fallbackReason: expect.stringMatching(/Cal.com did not answer/) });
    }
    expect(calcomBreaker.state).toBe("open");
    const calls = slotCalls();
    const started = Date.now();
    const fast = await findSlots({ ...query, to: new Date(query.to.getTime() - 5 * 3_600_000) });
    expect(fast.source).toBe("local");
    expect(fast.fallbackReason).toMatch(/Cal.com did not answer/);
    expect(slotCalls()).toBe(calls);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(calcomSlotStats.fallbacks - stats.fallbacks).toBe(4);
    expect(calcomSlotStats.fastFails - stats.fastFails).toBe(1);
  });
});
