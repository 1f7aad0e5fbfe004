import { describe, expect, it } from "vitest";
import { availabilitySchema, isValidDate, minutesToTime, timeToMinutes, type AvailabilityFormInput } from "./availability-schemas";

const base: AvailabilityFormInput = {
  timeZone: "Europe/Berlin",
  weeklyRules: [],
  dateOverrides: [],
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 10,
  minimumNoticeMinutes: 120,
  bookingHorizonDays: 60,
  slotIntervalMinutes: null,
};

/** path → message of every issue, or null when the input is valid. */
function issues(input: unknown): Record<string, string> | null {
  const result = availabilitySchema.safeParse(input);
  if (result.success) return null;
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
}

describe("availabilitySchema", () => {
  it("accepts a typical week with several ranges a day, touching ranges and 24:00", () => {
    const input = {
      ...base,
      weeklyRules: [
        { weekday: 1, start: "09:00", end: "12:00" },
        { weekday: 1, start: "12:00", end: "17:00" },
        { weekday: 1, start: "20:00", end: "24:00" },
        { weekday: 0, start: "00:00", end: "24:00" },
      ],
    };
    expect(issues(input)).toBeNull();
    expect(availabilitySchema.parse(input).weeklyRules).toHaveLength(4);
  });

  it("requires each start to be before its end, at the precise path", () => {
    expect(issues({ ...base, weeklyRules: [{ weekday: 2, start: "09:00", end: "10:00" }, { weekday: 3, start: "10:00", end: "09:00" }] })).toEqual({
      "weeklyRules.1.end": "The end must be after the start.",
    });
    expect(issues({ ...base, weeklyRules: [{ weekday: 2, start: "09:00", end: "09:00" }] })).toEqual({ "weeklyRules.0.end": "The end must be after the start." });
  });

  it("rejects malformed times; 24:00 is an end only", () => {
    const result = issues({
      ...base,
      weeklyRules: [
        { weekday: 1, start: "24:00", end: "24:00" },
        { weekday: 2, start: "9:00", end: "10:00" },
        { weekday: 3, start: "09:00", end: "24:30" },
        { weekday: 4, start: "09:60", end: "10:00" },
      ],
    });
    expect(Object.keys(result ?? {}).sort()).toEqual(["weeklyRules.0.start", "weeklyRules.1.start", "weeklyRules.2.end", "weeklyRules.3.start"]);
  });

  it("rejects overlapping ranges on the same weekday and points at the later row", () => {
    expect(
      issues({
        ...base,
        weeklyRules: [
          { weekday: 1, start: "09:00", end: "12:00" },
          { weekday: 2, start: "09:00", end: "12:00" },
          { weekday: 1, start: "11:30", end: "13:00" },
        ],
      }),
    ).toEqual({ "weeklyRules.2.start": "Overlaps 09:00–12:00 on Monday." });
    // A range inside another one, entered first, is also caught.
    expect(issues({ ...base, weeklyRules: [{ weekday: 5, start: "10:00", end: "11:00" }, { weekday: 5, start: "08:00", end: "18:00" }] })).toEqual({
      "weeklyRules.1.start": "Overlaps 10:00–11:00 on Friday.",
    });
  });

  it("limits a day to 20 ranges", () => {
    const ranges = Array.from({ length: 21 }, (_, i) => ({ weekday: 3, start: minutesToTime(i * 60), end: minutesToTime(i * 60 + 30) }));
    expect(issues({ ...base, weeklyRules: ranges })).toEqual({ "weeklyRules.20": "At most 20 time ranges per day (Wednesday has 21)." });
    expect(issues({ ...base, weeklyRules: ranges.slice(0, 20) })).toBeNull();
  });

  it("takes an override with no ranges as a day off and one with ranges as replacement hours", () => {
    const parsed = availabilitySchema.parse({
      ...base,
      dateOverrides: [{ date: "2026-12-24", ranges: [] }, { date: "2026-12-27" }, { date: "2026-12-28", ranges: [{ start: "10:00", end: "14:00" }] }],
    });
    expect(parsed.dateOverrides).toEqual([
      { date: "2026-12-24", ranges: [] },
      { date: "2026-12-27", ranges: [] },
      { date: "2026-12-28", ranges: [{ start: "10:00", end: "14:00" }] },
    ]);
  });

  it("rejects duplicate override dates, invalid dates and overlapping override ranges", () => {
    expect(
      issues({
        ...base,
        dateOverrides: [
          { date: "2026-05-01", ranges: [] },
          { date: "2026-02-30", ranges: [] },
          { date: "2026-05-01", ranges: [{ start: "09:00", end: "10:00" }] },
          { date: "2026-05-02", ranges: [{ start: "09:00", end: "11:00" }, { start: "10:00", end: "12:00" }] },
          { date: "2026-05-03", ranges: [{ start: "13:00", end: "12:00" }] },
          { date: "May 4", ranges: [] },
        ],
      }),
    ).toEqual({
      "dateOverrides.1.date": "Enter a valid date (YYYY-MM-DD).",
      "dateOverrides.2.date": "2026-05-01 is already listed; edit that entry instead.",
      "dateOverrides.3.ranges.1.start": "Overlaps 09:00–11:00 on 2026-05-02.",
      "dateOverrides.4.ranges.0.end": "The end must be after the start.",
      "dateOverrides.5.date": "Enter a valid date (YYYY-MM-DD).",
    });
  });

  it("checks the limits: buffers, notice, horizon, slot interval and the zone", () => {
    expect(
      issues({
        ...base,
        timeZone: "Mars/Olympus",
        bufferBeforeMinutes: -5,
        bufferAfterMinutes: 241,
        minimumNoticeMinutes: 30 * 24 * 60 + 1,
        bookingHorizonDays: 0,
        slotIntervalMinutes: 4,
      }),
    ).toEqual({
      timeZone: "Unknown time zone; use an IANA name such as Europe/Berlin.",
      bufferBeforeMinutes: "The buffer before cannot be negative.",
      bufferAfterMinutes: "The buffer after can be at most 4 hours (240 minutes).",
      minimumNoticeMinutes: "The minimum notice can be at most 30 days.",
      bookingHorizonDays: "Allow booking at least 1 day ahead.",
      slotIntervalMinutes: "The slot interval must be at least 5 minutes.",
    });
    expect(issues({ ...base, bufferBeforeMinutes: 240, minimumNoticeMinutes: 30 * 24 * 60, bookingHorizonDays: 365, slotIntervalMinutes: 240 })).toBeNull();
    expect(issues({ ...base, bookingHorizonDays: 366, slotIntervalMinutes: 12.5 })).toEqual({
      bookingHorizonDays: "The booking horizon can be at most 365 days.",
      slotIntervalMinutes: "Use whole minutes for the slot interval.",
    });
    expect(issues({ ...base, bufferBeforeMinutes: "10" })).toEqual({ bufferBeforeMinutes: "Enter the buffer before in minutes." });
  });
});

describe("time and date helpers", () => {
  it("converts between HH:MM and minutes", () => {
    expect(timeToMinutes("00:00")).toBe(0);
    expect(timeToMinutes("09:30")).toBe(570);
    expect(timeToMinutes("24:00")).toBe(1440);
    expect(minutesToTime(570)).toBe("09:30");
    expect(minutesToTime(1440)).toBe("24:00");
  });

  it("knows real calendar dates", () => {
    expect(isValidDate("2028-02-29")).toBe(true);
    expect(isValidDate("2027-02-29")).toBe(false);
    expect(isValidDate("2026-13-01")).toBe(false);
    expect(isValidDate("2026-1-01")).toBe(false);
  });
});
