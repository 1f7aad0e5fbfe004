import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ANSWER_TTL_MS, resetSlotAnswers, slotAnswer, slotAnswerStats } from "@/lib/booking/slot-answers";
import { computeSlotStarts, findSlotStarts, slotsJson, type SlotQuery } from "@/lib/booking/slots";
import { calcomBreaker, resetCalcomSlotCache, SLOT_CACHE_TTL_MS } from "@/lib/calcom-sync/slots";
import { syncCoach } from "@/lib/calcom-sync/sync";
import { createPrismaClient, db, hotQuery } from "@/lib/db/client";
import { createCoach, createStudent } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

// The process-wide answer cache of the public slot route (lib/booking/slot-answers.ts): reused only while it is
// provably the answer a fresh read would give, for data (the coach's availability_version) and for the clock.

const { cal } = useEmulators({ calcom: {} });
const DAY = 86_400_000;
const HOUR = 3_600_000;

beforeEach(() => resetSlotAnswers());
afterEach(() => {
  cal.faults.reset();
  resetCalcomSlotCache();
  calcomBreaker.succeeded();
});

/** Midnight UTC `days` from now: slots on the hour, 00:00-24:00 every day (the fixture coach's hours). */
function windowFrom(days: number, span = 3): { from: Date; to: Date } {
  const from = new Date(Date.now() + days * DAY);
  from.setUTCHours(0, 0, 0, 0);
  return { from, to: new Date(from.getTime() + span * DAY) };
}
const fresh = async (query: SlotQuery, now: Date) => slotsJson(await findSlotStarts(query, now));
const starts = (body: string) => (JSON.parse(body) as { slots: { start: string }[] }).slots.map((s) => s.start);

describe("slot answers kept by the process", () => {
  it("are reused while the coach's availability version holds, and dropped at once when another instance changes it", async () => {
    const { coach, offerings } = await createCoach();
    const query: SlotQuery = { coachId: coach.id, offeringId: offerings[0].id, ...windowFrom(2), timeZone: "Europe/Paris" };
    const now = new Date();
    const first = await slotAnswer(query, now);
    expect(first.body).toBe(await fresh(query, now));
    const again = await slotAnswer(query, now);
    expect(again).toMatchObject({ body: first.body, etag: first.etag });
    expect(slotAnswerStats).toEqual({ hits: 1, misses: 1 });

    // Another app instance (its own Prisma client and pool) books the first slot: the trigger bumps the version
    // in that transaction, so this process's next read recomputes without being told.
    const other = createPrismaClient(process.env.DATABASE_URL!);
    try {
      const student = await createStudent();
      const at = new Date(starts(first.body)[0]);
      await other.booking.create({
        data: { coachId: coach.id, studentId: student.id, offeringId: offerings[0].id, status: "CONFIRMED", startsAt: at, endsAt: new Date(at.getTime() + HOUR), blockedFrom: at, blockedUntil: new Date(at.getTime() + HOUR), studentTimeZone: "UTC", title: "x", priceMinor: 1, currency: "eur", policy: {} },
      });
    } finally {
      await other.$disconnect();
    }
    const after = await slotAnswer(query, now);
    expect(slotAnswerStats).toEqual({ hits: 1, misses: 2 });
    expect(starts(after.body)).not.toContain(starts(first.body)[0]);
    expect(after.body).toBe(await fresh(query, now));
    expect(after.etag).not.toBe(first.etag);

    // Each window, zone and offering is its own answer.
    await slotAnswer({ ...query, timeZone: "UTC" }, now);
    await slotAnswer({ ...query, to: new Date(query.to.getTime() - DAY) }, now);
    expect(slotAnswerStats.misses).toBe(4);
  });

  it("end exactly when their first slot comes within the coach's minimum notice", async () => {
    const { coach, offerings } = await createCoach({ minimumNoticeMinutes: 120 });
    const query: SlotQuery = { coachId: coach.id, offeringId: offerings[0].id, ...windowFrom(2), timeZone: "UTC" };
    // The clock is 3 h before the window's first slot: that slot needs 2 h of notice, so it leaves the answer 1 h
    // before it starts.
    const firstSlot = query.from.getTime();
    const t0 = new Date(firstSlot - 3 * HOUR);
    const first = await slotAnswer(query, t0);
    expect(starts(first.body)[0]).toBe(new Date(firstSlot).toISOString());
    const deadline = firstSlot - 2 * HOUR;
    expect(deadline - t0.getTime()).toBeGreaterThan(ANSWER_TTL_MS); // so only the notice can end it early

    const justBefore = new Date(deadline - ANSWER_TTL_MS + 5_000);
    // Clock moved, data did not: the entry is out of its 10 s, so it is recomputed, and kept again.
    await slotAnswer(query, new Date(t0.getTime() + ANSWER_TTL_MS - 1));
    expect(slotAnswerStats).toEqual({ hits: 1, misses: 1 });
    await slotAnswer(query, justBefore);
    expect(slotAnswerStats).toEqual({ hits: 1, misses: 2 });
    // 5 s later the same entry would still be within its 10 s, but the first slot's notice has begun.
    const late = new Date(deadline + 1);
    const answer = await slotAnswer(query, late);
    expect(slotAnswerStats).toEqual({ hits: 1, misses: 3 });
    expect(starts(answer.body)[0]).toBe(new Date(firstSlot + HOUR).toISOString());
    expect(answer.body).toBe(await fresh(query, late));
  });

  it("never outlive their 10 s: the booking horizon adds slots as time passes", async () => {
    const { coach, offerings } = await createCoach();
    await db.coachProfile.update({ where: { id: coach.id }, data: { bookingHorizonDays: 1 } });
    const now = new Date();
    const query: SlotQuery = { coachId: coach.id, offeringId: offerings[0].id, from: now, to: new Date(now.getTime() + 3 * DAY), timeZone: "UTC" };
    await slotAnswer(query, now);
    await slotAnswer(query, new Date(now.getTime() + ANSWER_TTL_MS - 1));
    expect(slotAnswerStats).toEqual({ hits: 1, misses: 1 });
    const later = new Date(now.getTime() + HOUR);
    const answer = await slotAnswer(query, later);
    expect(slotAnswerStats).toEqual({ hits: 1, misses: 2 });
    expect(answer.body).toBe(await fresh(query, later));
  });

  it("refuse an offering withdrawn since they were kept (400, as without the cache)", async () => {
    const { coach, offerings } = await createCoach();
    const query: SlotQuery = { coachId: coach.id, offeringId: offerings[0].id, ...windowFrom(2), timeZone: "UTC" };
    await slotAnswer(query);
    await db.offering.update({ where: { id: offerings[0].id }, data: { active: false } });
    await expect(slotAnswer(query)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(slotAnswer({ ...query, coachId: "someone-else" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("of a synced coach end with the Cal.com answer they were built on; the local engine's fallback is never kept", async () => {
    const fixture = await createCoach({ timeZone: "Europe/Berlin", rules: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })) });
    await syncCoach(fixture.user.id);
    const query: SlotQuery = { coachId: fixture.coach.id, offeringId: fixture.offerings[0].id, ...windowFrom(2, 7), timeZone: "UTC" };
    const now = new Date();
    const computed = await computeSlotStarts(query, now, null);
    if (computed.unchanged) throw new Error("no version was given");
    expect(computed.answer.source).toBe("calcom");
    expect(computed.exactUntilMs).toBeGreaterThan(now.getTime());
    expect(computed.exactUntilMs).toBeLessThanOrEqual(Date.now() + SLOT_CACHE_TTL_MS);

    resetCalcomSlotCache();
    cal.faults.failNext(2, { status: 500, path: "/v2/slots" }); // the slot call and its one retry (lib/calcom-sync/client.ts)
    const calls = () => cal.requests.filter((r) => r.path === "/v2/slots").length;
    const before = calls();
    const fallback = await slotAnswer(query, now);
    expect(JSON.parse(fallback.body)).toMatchObject({ source: "local", fallbackReason: expect.stringMatching(/Cal.com did not answer/) });
    const recovered = await slotAnswer(query, now);
    expect(JSON.parse(recovered.body).source).toBe("calcom");
    expect(calls()).toBe(before + 3);
    expect(slotAnswerStats).toEqual({ hits: 0, misses: 2 });
    expect((await slotAnswer(query, now)).body).toBe(recovered.body);
    expect(slotAnswerStats.hits).toBe(1);
  });

  it("asked together share the next check, and a read after a write always sees it", async () => {
    const { coach, offerings } = await createCoach();
    const query: SlotQuery = { coachId: coach.id, offeringId: offerings[0].id, ...windowFrom(2), timeZone: "UTC" };
    const first = await slotAnswer(query);
    // Twenty identical reads at once: one check is in flight, the other nineteen share the next one.
    const together = await Promise.all(Array.from({ length: 20 }, () => slotAnswer(query)));
    expect(new Set(together.map((a) => a.body))).toEqual(new Set([first.body]));
    expect(slotAnswerStats.hits + slotAnswerStats.misses).toBeLessThanOrEqual(1 + 2);

    // A read started before a hold commits may still be in flight; a read made after the commit must not reuse it.
    const student = await createStudent();
    const taken = starts(first.body)[0];
    const inFlight = slotAnswer(query);
    const at = new Date(taken);
    await db.booking.create({
      data: { coachId: coach.id, studentId: student.id, offeringId: offerings[0].id, status: "PENDING_PAYMENT", holdExpiresAt: new Date(Date.now() + 600_000), startsAt: at, endsAt: new Date(at.getTime() + HOUR), blockedFrom: at, blockedUntil: new Date(at.getTime() + HOUR), studentTimeZone: "UTC", title: "x", priceMinor: 1, currency: "eur", policy: {} },
    });
    const afterWrite = await Promise.all(Array.from({ length: 5 }, () => slotAnswer(query)));
    for (const answer of afterWrite) expect(starts(answer.body)).not.toContain(taken);
    await inFlight;
  });

  it("cost PostgreSQL a primary-key lookup when unchanged: none of the context's subqueries runs", async () => {
    const { coach, offerings } = await createCoach();
    const query: SlotQuery = { coachId: coach.id, offeringId: offerings[0].id, ...windowFrom(2), timeZone: "UTC" };
    const computed = await computeSlotStarts(query, new Date(), null);
    if (computed.unchanged) throw new Error("no version was given");
    expect(await computeSlotStarts(query, new Date(), computed.availabilityVersion)).toEqual({ unchanged: true });

    const { LOAD_OFFERING_RULES_IF_CHANGED_SQL } = await import("@/lib/booking/rules");
    const plan = async (known: number) => {
      const [row] = await hotQuery<{ "QUERY PLAN": unknown }>("explain-if-changed", `EXPLAIN (ANALYZE, FORMAT JSON) ${LOAD_OFFERING_RULES_IF_CHANGED_SQL}`, [offerings[0].id, new Date(), query.from, query.to, null, known]);
      return JSON.stringify(row["QUERY PLAN"]);
    };
    // EXPLAIN ANALYZE marks plan nodes that never ran with "Actual Loops": 0; the busy-time index scan is one.
    expect(await plan(computed.availabilityVersion)).toMatch(/"Index Name":"bookings_no_overlap"[^}]*"Actual Loops":0/);
    expect(await plan(computed.availabilityVersion - 1)).toMatch(/"Index Name":"bookings_no_overlap"[^}]*"Actual Loops":1/);
  });
});
