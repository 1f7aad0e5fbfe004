import { beforeAll, describe, expect, it } from "vitest";
import { actAs, jsonRequest, noParams } from "../support/session";
import { GET, PUT } from "@/app/api/coach/availability/route";
import type { SessionUser } from "@/lib/auth/session";
import { createAccount } from "@/lib/accounts/service";
import { availabilitySchema, type AvailabilityFormInput } from "@/lib/coaches/availability-schemas";
import { calcomNeedsSync, getAvailability, previewSlots, saveAvailability } from "@/lib/coaches/availability-service";
import { db } from "@/lib/db/client";

let coach: SessionUser;
let otherCoach: SessionUser;
let student: SessionUser;
let coachId: string;

async function account(role: "COACH" | "STUDENT", email: string, timeZone = "Europe/Berlin"): Promise<SessionUser> {
  const created = await createAccount({ role, name: `${role} ${email}`, email, password: "long-enough-pw", timeZone });
  return { id: created.id, name: created.name, email: created.email, role: created.role, timeZone: created.timeZone };
}

const week: AvailabilityFormInput = {
  timeZone: "Europe/Berlin",
  weeklyRules: [
    { weekday: 1, start: "13:00", end: "17:00" },
    { weekday: 1, start: "09:00", end: "12:00" },
    { weekday: 5, start: "20:00", end: "24:00" },
  ],
  dateOverrides: [
    { date: "2030-12-24", ranges: [] },
    { date: "2030-12-23", ranges: [{ start: "10:00", end: "12:00" }, { start: "08:00", end: "09:00" }] },
  ],
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 15,
  minimumNoticeMinutes: 1440,
  bookingHorizonDays: 90,
  slotIntervalMinutes: 30,
};

const put = (body: unknown) => PUT(jsonRequest("/api/coach/availability", body, { method: "PUT" }), noParams);
const get = () => GET(jsonRequest("/api/coach/availability"), noParams);

beforeAll(async () => {
  coach = await account("COACH", "avail.coach@example.com");
  otherCoach = await account("COACH", "avail.other@example.com", "America/New_York");
  student = await account("STUDENT", "avail.student@example.com");
  coachId = (await db.coachProfile.findUniqueOrThrow({ where: { userId: coach.id } })).id;
});

describe("GET/PUT /api/coach/availability access", () => {
  it("answers 401 signed out and 403 for a student", async () => {
    actAs(null);
    expect((await get()).status).toBe(401);
    expect((await put(week)).status).toBe(401);
    actAs(student);
    expect((await get()).status).toBe(403);
    const forbidden = await put(week);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("FORBIDDEN");
  });

  it("gives a new coach the defaults: no hours, the sign-up zone, no Cal.com account", async () => {
    actAs(otherCoach);
    const response = await get();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      availability: {
        timeZone: "America/New_York",
        weeklyRules: [],
        dateOverrides: [],
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        minimumNoticeMinutes: 240,
        bookingHorizonDays: 60,
        slotIntervalMinutes: null,
      },
      calcom: null,
    });
  });
});

describe("saving availability", () => {
  it("round-trips: PUT then GET returns the same availability in canonical order", async () => {
    actAs(coach);
    const response = await put(week);
    expect(response.status).toBe(200);
    const saved = await response.json();
    expect(saved.changed).toBe(true);
    const expected = {
      ...week,
      weeklyRules: [
        { weekday: 1, start: "09:00", end: "12:00" },
        { weekday: 1, start: "13:00", end: "17:00" },
        { weekday: 5, start: "20:00", end: "24:00" },
      ],
      dateOverrides: [
        { date: "2030-12-23", ranges: [{ start: "08:00", end: "09:00" }, { start: "10:00", end: "12:00" }] },
        { date: "2030-12-24", ranges: [] },
      ],
    };
    expect(saved.availability).toEqual(expected);
    expect((await (await get()).json()).availability).toEqual(expected);

    // Stored as minutes, a day off as one row without minutes.
    const rules = await db.availabilityRule.findMany({ where: { coachId }, orderBy: [{ weekday: "asc" }, { startMinute: "asc" }] });
    expect(rules.map((r) => [r.weekday, r.startMinute, r.endMinute])).toEqual([
      [1, 540, 720],
      [1, 780, 1020],
      [5, 1200, 1440],
    ]);
    const dayOff = await db.dateOverride.findMany({ where: { coachId, date: "2030-12-24" } });
    expect(dayOff.map((r) => [r.startMinute, r.endMinute])).toEqual([[null, null]]);
  });

  it("answers 400 with field paths for bad input and leaves the stored availability alone", async () => {
    actAs(coach);
    const before = await getAvailability(coach.id);
    const response = await put({
      ...week,
      weeklyRules: [...week.weeklyRules, { weekday: 1, start: "11:00", end: "14:00" }, { weekday: 2, start: "10:00", end: "09:00" }],
      dateOverrides: [{ date: "2030-02-30", ranges: [] }],
      bufferAfterMinutes: 500,
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("VALIDATION");
    expect(body.error.details.fields).toEqual({
      "weeklyRules.3.start": "Overlaps 09:00–12:00 on Monday.",
      "weeklyRules.4.end": "The end must be after the start.",
      "dateOverrides.0.date": "Enter a valid date (YYYY-MM-DD).",
      bufferAfterMinutes: "The buffer after can be at most 4 hours (240 minutes).",
    });
    expect(await getAvailability(coach.id)).toEqual(before);
  });

  it("answers 400 for malformed JSON", async () => {
    actAs(coach);
    const response = await PUT(jsonRequest("/api/coach/availability", "{nope", { method: "PUT" }), noParams);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("BAD_REQUEST");
  });

  it("is one transaction: a save failing half-way leaves the old rules, overrides and limits", async () => {
    actAs(coach);
    await put(week);
    const before = await getAvailability(coach.id);
    // Make the last write of the save (the overrides) fail inside the database.
    await db.$executeRawUnsafe(`
      CREATE FUNCTION test_reject_override() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.date = '2031-01-01' THEN RAISE EXCEPTION 'rejected by test trigger'; END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER test_reject_override BEFORE INSERT ON date_overrides FOR EACH ROW EXECUTE FUNCTION test_reject_override()`);
    try {
      const response = await put({
        ...week,
        weeklyRules: [{ weekday: 3, start: "08:00", end: "10:00" }],
        dateOverrides: [{ date: "2031-01-01", ranges: [] }],
        bufferAfterMinutes: 0,
      });
      expect(response.status).toBe(500);
      expect((await response.json()).error).toEqual({ code: "INTERNAL", message: "Something went wrong on our side. Please try again." });
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER test_reject_override ON date_overrides`);
      await db.$executeRawUnsafe(`DROP FUNCTION test_reject_override()`);
    }
    expect(await getAvailability(coach.id)).toEqual(before);
    expect(await db.availabilityRule.count({ where: { coachId, weekday: 3 } })).toBe(0);
  });

  it("writes nothing when the submitted availability equals the stored one", async () => {
    actAs(coach);
    await put(week);
    const stamp = (await db.coachProfile.findUniqueOrThrow({ where: { id: coachId } })).updatedAt;
    const ruleIds = (await db.availabilityRule.findMany({ where: { coachId }, select: { id: true } })).map((r) => r.id).sort();
    const response = await put({ ...week, weeklyRules: [...week.weeklyRules].reverse() });
    expect((await response.json()).changed).toBe(false);
    expect((await db.coachProfile.findUniqueOrThrow({ where: { id: coachId } })).updatedAt).toEqual(stamp);
    expect((await db.availabilityRule.findMany({ where: { coachId }, select: { id: true } })).map((r) => r.id).sort()).toEqual(ruleIds);
  });

  it("applies concurrent saves one after the other, never merging their rules", async () => {
    const a = availabilitySchema.parse({ ...week, weeklyRules: [{ weekday: 2, start: "09:00", end: "10:00" }] });
    const b = availabilitySchema.parse({ ...week, weeklyRules: [{ weekday: 2, start: "09:30", end: "11:00" }] });
    await Promise.all([saveAvailability(coach.id, a), saveAvailability(coach.id, b), saveAvailability(coach.id, a)]);
    const rules = await db.availabilityRule.findMany({ where: { coachId } });
    expect(rules).toHaveLength(1);
  });
});

describe("Cal.com sync state", () => {
  it("marks a synced coach as needing a sync after a change, and saves locally whatever the state", async () => {
    actAs(coach);
    await put(week);
    // A sync that began after the last save.
    const syncStartedAt = new Date();
    await db.calcomAccount.create({ data: { coachId, syncStatus: "SYNCED", syncStartedAt, syncedAt: new Date(syncStartedAt.getTime() + 500) } });

    let body = await (await get()).json();
    expect(body.calcom).toMatchObject({ status: "SYNCED", needsSync: false });

    const response = await put({ ...week, bufferBeforeMinutes: 20 });
    expect(response.status).toBe(200);
    body = await response.json();
    expect(body.availability.bufferBeforeMinutes).toBe(20);
    expect(body.calcom).toMatchObject({ status: "SYNCED", needsSync: true });
    expect((await (await get()).json()).calcom.needsSync).toBe(true);

    // A failed sync never blocks a local save.
    await db.calcomAccount.update({ where: { coachId }, data: { syncStatus: "FAILED", syncError: "Cal.com said no" } });
    body = await (await put({ ...week, bufferBeforeMinutes: 25 })).json();
    expect(body.availability.bufferBeforeMinutes).toBe(25);
    expect(body.calcom).toMatchObject({ status: "FAILED", needsSync: false });
    await db.calcomAccount.delete({ where: { coachId } });
  });

  it("counts a save made while the last sync was running as unsynced", () => {
    const started = new Date("2030-01-01T10:00:00Z");
    const finished = new Date("2030-01-01T10:00:05Z");
    const account = { syncStatus: "SYNCED" as const, syncStartedAt: started, syncedAt: finished };
    expect(calcomNeedsSync(new Date("2030-01-01T10:00:02Z"), account)).toBe(true);
    expect(calcomNeedsSync(new Date("2030-01-01T09:59:00Z"), account)).toBe(false);
    expect(calcomNeedsSync(new Date("2030-01-01T11:00:00Z"), { ...account, syncStatus: "NEVER" })).toBe(false);
  });
});

describe("previewSlots", () => {
  it("lists the first active offering's free slots in the next days, minus live bookings", async () => {
    const now = new Date("2030-06-03T06:00:00Z"); // Monday 08:00 in Berlin
    await saveAvailability(coach.id, {
      timeZone: "Europe/Berlin",
      weeklyRules: [{ weekday: 1, start: "09:00", end: "12:00" }],
      dateOverrides: [],
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      bookingHorizonDays: 60,
      slotIntervalMinutes: null,
    });
    expect((await previewSlots(coach.id, { now })).offering).toBeNull();

    const offering = await db.offering.create({ data: { coachId, title: "Hour", durationMinutes: 60, priceMinor: 5000, currency: "eur" } });
    await db.offering.create({ data: { coachId, title: "Later", durationMinutes: 30, priceMinor: 5000, currency: "eur" } });
    const preview = await previewSlots(coach.id, { now, days: 7 });
    expect(preview.offering).toEqual({ id: offering.id, title: "Hour", durationMinutes: 60 });
    expect(preview.timeZone).toBe("Europe/Berlin");
    expect(preview.slots.map((s) => s.start)).toEqual(["2030-06-03T07:00:00.000Z", "2030-06-03T08:00:00.000Z", "2030-06-03T09:00:00.000Z"]);

    await db.booking.create({
      data: {
        coachId,
        studentId: student.id,
        offeringId: offering.id,
        status: "CONFIRMED",
        startsAt: new Date("2030-06-03T08:00:00Z"),
        endsAt: new Date("2030-06-03T09:00:00Z"),
        blockedFrom: new Date("2030-06-03T08:00:00Z"),
        blockedUntil: new Date("2030-06-03T09:00:00Z"),
        studentTimeZone: "Europe/Berlin",
        title: "Hour",
        priceMinor: 5000,
        currency: "eur",
        policy: {},
      },
    });
    expect((await previewSlots(coach.id, { now })).slots.map((s) => s.start)).toEqual(["2030-06-03T07:00:00.000Z", "2030-06-03T09:00:00.000Z"]);
  });
});
