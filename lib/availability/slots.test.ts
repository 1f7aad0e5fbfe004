import { describe, expect, it } from "vitest";
import { type AvailabilityInput, blockedRange, getAvailableSlots, isSlotBookable } from "@/lib/availability";
import { hm, makeInput, rule, starts, utc } from "./test-helpers";

// 2026-01-05 is a Monday. Europe/Berlin is UTC+01:00 in January.
const monday = { from: new Date("2026-01-05T00:00:00Z"), to: new Date("2026-01-06T00:00:00Z") };
const week = { from: new Date("2026-01-04T23:00:00Z"), to: new Date("2026-01-11T23:00:00Z") };
const berlin = { timeZone: "Europe/Berlin" };

describe("getAvailableSlots: weekly rules", () => {
  it("plain weekday: one range, session = interval", () => {
    const input = makeInput({ ...berlin, ...week, weeklyRules: [rule(1, hm(9), hm(12))] });
    expect(starts(input)).toEqual([utc("2026-01-05T08:00"), utc("2026-01-05T09:00"), utc("2026-01-05T10:00")]);
    const slots = getAvailableSlots(input);
    expect(slots[0].end.toISOString()).toBe(utc("2026-01-05T09:00"));
  });

  it("several ranges a day, and only on their weekdays", () => {
    const input = makeInput({
      ...berlin,
      ...week,
      weeklyRules: [rule(1, hm(9), hm(10)), rule(1, hm(14), hm(16)), rule(3, hm(18), hm(19))],
    });
    expect(starts(input)).toEqual([
      utc("2026-01-05T08:00"),
      utc("2026-01-05T13:00"),
      utc("2026-01-05T14:00"),
      utc("2026-01-07T17:00"),
    ]);
  });

  it("merges overlapping and adjacent ranges of a day before placing slots", () => {
    // 09:00–10:00 + 10:00–11:30 + 10:30–11:00 = 09:00–11:30: one 90-minute session fits (neither range alone fits one).
    const input = makeInput({
      ...berlin,
      ...monday,
      durationMinutes: 90,
      weeklyRules: [rule(1, hm(10), hm(11, 30)), rule(1, hm(9), hm(10)), rule(1, hm(10, 30), hm(11))],
    });
    expect(starts(input)).toEqual([utc("2026-01-05T08:00")]);
  });

  it("ignores empty ranges and clips to the day", () => {
    const input = makeInput({ ...monday, weeklyRules: [rule(1, hm(9), hm(9)), rule(1, hm(12), hm(11)), rule(1, -60, 60)] });
    expect(starts(input)).toEqual([utc("2026-01-05T00:00")]);
  });
});

describe("getAvailableSlots: alignment and interval", () => {
  it("interval shorter than the session", () => {
    const input = makeInput({ ...monday, slotIntervalMinutes: 15, weeklyRules: [rule(1, hm(9), hm(11))] });
    expect(starts(input)).toEqual(
      ["09:00", "09:15", "09:30", "09:45", "10:00"].map((t) => utc(`2026-01-05T${t}`)),
    );
  });

  it("interval longer than the session", () => {
    const input = makeInput({ ...monday, durationMinutes: 30, slotIntervalMinutes: 45, weeklyRules: [rule(1, hm(9), hm(11))] });
    expect(starts(input)).toEqual(["09:00", "09:45", "10:30"].map((t) => utc(`2026-01-05T${t}`)));
  });

  it("aligns to each window's own start", () => {
    const input = makeInput({ ...monday, weeklyRules: [rule(1, hm(9, 10), hm(11, 10)), rule(1, hm(13, 45), hm(15))] });
    expect(starts(input)).toEqual(["09:10", "10:10", "13:45"].map((t) => utc(`2026-01-05T${t}`)));
  });

  it("null interval means interval = duration", () => {
    const input = makeInput({ ...monday, durationMinutes: 45, slotIntervalMinutes: null, weeklyRules: [rule(1, hm(9), hm(11))] });
    expect(starts(input)).toEqual(["09:00", "09:45"].map((t) => utc(`2026-01-05T${t}`)));
  });

  it("returns starts in [from, to) and keeps the grid of windows that began earlier", () => {
    const input = makeInput({
      slotIntervalMinutes: 30,
      weeklyRules: [rule(1, hm(9), hm(12))],
      from: new Date("2026-01-05T09:40:00Z"),
      to: new Date("2026-01-05T10:30:00Z"),
    });
    expect(starts(input)).toEqual([utc("2026-01-05T10:00")]);
  });
});

describe("getAvailableSlots: date overrides", () => {
  const rules = [rule(1, hm(9), hm(11)), rule(2, hm(9), hm(10))];
  const range = { from: new Date("2026-01-05T00:00:00Z"), to: new Date("2026-01-11T00:00:00Z") };

  it("a day-off row removes the weekly hours", () => {
    const input = makeInput({ ...range, weeklyRules: rules, dateOverrides: [{ date: "2026-01-05", startMinute: null, endMinute: null }] });
    expect(starts(input)).toEqual([utc("2026-01-06T09:00")]);
  });

  it("override ranges replace the weekly hours of that date", () => {
    const input = makeInput({
      ...range,
      weeklyRules: rules,
      dateOverrides: [
        { date: "2026-01-05", startMinute: hm(15), endMinute: hm(16) },
        { date: "2026-01-05", startMinute: hm(18), endMinute: hm(19) },
      ],
    });
    expect(starts(input)).toEqual([utc("2026-01-05T15:00"), utc("2026-01-05T18:00"), utc("2026-01-06T09:00")]);
  });

  it("extra hours on a day without weekly rules", () => {
    const input = makeInput({ ...range, weeklyRules: rules, dateOverrides: [{ date: "2026-01-10", startMinute: hm(10), endMinute: hm(12) }] });
    expect(starts(input)).toEqual([
      utc("2026-01-05T09:00"),
      utc("2026-01-05T10:00"),
      utc("2026-01-06T09:00"),
      utc("2026-01-10T10:00"),
      utc("2026-01-10T11:00"),
    ]);
  });

  it("null rows next to ranges: the ranges win", () => {
    const input = makeInput({
      ...range,
      weeklyRules: rules,
      dateOverrides: [
        { date: "2026-01-06", startMinute: null, endMinute: null },
        { date: "2026-01-06", startMinute: hm(12), endMinute: hm(13) },
      ],
    });
    expect(starts(input)).toEqual([utc("2026-01-05T09:00"), utc("2026-01-05T10:00"), utc("2026-01-06T12:00")]);
  });

  it("rejects malformed dates", () => {
    const bad = makeInput({ weeklyRules: rules, dateOverrides: [{ date: "2026-02-30", startMinute: null, endMinute: null }] });
    expect(() => getAvailableSlots(bad)).toThrow(RangeError);
    const bad2 = makeInput({ weeklyRules: rules, dateOverrides: [{ date: "6/1/2026", startMinute: null, endMinute: null }] });
    expect(() => getAvailableSlots(bad2)).toThrow(RangeError);
  });
});

describe("getAvailableSlots: busy time and buffers", () => {
  const window8to13 = { ...monday, durationMinutes: 30, weeklyRules: [rule(1, hm(8), hm(13))] };
  const busy = [{ start: new Date("2026-01-05T10:00:00Z"), end: new Date("2026-01-05T11:00:00Z") }];

  it("busy intervals remove overlapping slots; touching is fine", () => {
    const input = makeInput({ ...window8to13, busy });
    expect(starts(input)).toEqual(
      ["08:00", "08:30", "09:00", "09:30", "11:00", "11:30", "12:00", "12:30"].map((t) => utc(`2026-01-05T${t}`)),
    );
  });

  it("buffers widen the slot for the overlap test", () => {
    // 09:30–10:00 needs 09:15–10:15 free; 11:00–11:30 needs 10:45–11:45 free.
    const input = makeInput({ ...window8to13, busy, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 });
    expect(starts(input)).toEqual(["08:00", "08:30", "09:00", "11:30", "12:00", "12:30"].map((t) => utc(`2026-01-05T${t}`)));
  });

  it("a buffer exactly reaching a busy interval is fine", () => {
    // 11:30 with a 30-minute buffer before needs 11:00–12:00: touches the busy end at 11:00.
    const input = makeInput({ ...window8to13, busy, bufferBeforeMinutes: 30 });
    expect(starts(input)).toContain(utc("2026-01-05T11:30"));
    expect(starts(input)).not.toContain(utc("2026-01-05T11:00"));
  });

  it("buffers may extend outside the availability window", () => {
    const input = makeInput({ ...window8to13, bufferBeforeMinutes: 60, bufferAfterMinutes: 60 });
    expect(starts(input)[0]).toBe(utc("2026-01-05T08:00"));
    expect(starts(input).at(-1)).toBe(utc("2026-01-05T12:30"));
  });

  it("unsorted, overlapping and empty busy intervals", () => {
    const at = (t: string) => new Date(`2026-01-05T${t}:00Z`);
    const input = makeInput({
      ...window8to13,
      busy: [
        { start: at("12:10"), end: at("12:20") },
        { start: at("08:20"), end: at("09:10") },
        { start: at("08:40"), end: at("09:05") },
        { start: at("10:00"), end: at("10:00") }, // empty: blocks nothing
        { start: at("11:00"), end: at("10:00") }, // inverted: ignored
      ],
    });
    expect(starts(input)).toEqual(
      ["09:30", "10:00", "10:30", "11:00", "11:30", "12:30"].map((t) => utc(`2026-01-05T${t}`)),
    );
  });

  it("busy intervals outside the range do not matter", () => {
    const input = makeInput({
      ...window8to13,
      busy: [{ start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-02T00:00:00Z") }],
    });
    expect(starts(input)).toHaveLength(10);
  });
});

describe("getAvailableSlots: notice and horizon", () => {
  it("minimum notice drops early slots but keeps the grid", () => {
    const input = makeInput({
      ...monday,
      slotIntervalMinutes: 30,
      weeklyRules: [rule(1, hm(8), hm(11))],
      now: new Date("2026-01-05T08:10:00Z"),
      minimumNoticeMinutes: 60,
    });
    expect(starts(input)).toEqual(["09:30", "10:00"].map((t) => utc(`2026-01-05T${t}`)));
  });

  it("a slot exactly at now + notice is bookable", () => {
    const input = makeInput({ ...monday, weeklyRules: [rule(1, hm(8), hm(11))], now: new Date("2026-01-05T07:00:00Z"), minimumNoticeMinutes: 120 });
    expect(starts(input)).toEqual([utc("2026-01-05T09:00"), utc("2026-01-05T10:00")]);
  });

  it("past slots are never returned", () => {
    const input = makeInput({ ...monday, weeklyRules: [rule(1, hm(8), hm(11))], now: new Date("2026-01-05T09:30:00Z") });
    expect(starts(input)).toEqual([utc("2026-01-05T10:00")]);
  });

  it("no slot starts after now + horizon days (a start exactly there is allowed)", () => {
    const daily = [0, 1, 2, 3, 4, 5, 6].map((d) => rule(d, 0, 60));
    const input = makeInput({
      weeklyRules: daily,
      now: new Date("2026-01-05T00:00:00Z"),
      bookingHorizonDays: 2,
      from: new Date("2026-01-01T00:00:00Z"),
      to: new Date("2026-02-01T00:00:00Z"),
    });
    expect(starts(input)).toEqual([utc("2026-01-05T00:00"), utc("2026-01-06T00:00"), utc("2026-01-07T00:00")]);
  });

  it("empty result when the range is outside notice/horizon", () => {
    const input = makeInput({ weeklyRules: [rule(1, 0, 1440)], now: new Date("2026-03-01T00:00:00Z"), ...monday });
    expect(getAvailableSlots(input)).toEqual([]);
  });
});

describe("getAvailableSlots: windows across local midnight", () => {
  // 2026-01-09 is a Friday, 2026-01-10 a Saturday.
  const fri = { from: new Date("2026-01-09T00:00:00Z"), to: new Date("2026-01-11T00:00:00Z") };

  it("22:00–24:00 + 00:00–02:00 form one window; a session may span midnight", () => {
    const input = makeInput({ ...fri, durationMinutes: 90, weeklyRules: [rule(5, hm(22), 1440), rule(6, 0, hm(2))] });
    expect(starts(input)).toEqual([utc("2026-01-09T22:00"), utc("2026-01-09T23:30")]);
  });

  it("the same in a zone with an offset (Asia/Kolkata, +05:30)", () => {
    const input = makeInput({
      ...fri,
      timeZone: "Asia/Kolkata",
      durationMinutes: 90,
      weeklyRules: [rule(5, hm(22), 1440), rule(6, 0, hm(2))],
    });
    // Fri 22:00 IST = 16:30Z, 23:30 IST = 18:00Z.
    expect(starts(input)).toEqual([utc("2026-01-09T16:30"), utc("2026-01-09T18:00")]);
  });

  it("non-contiguous ranges across midnight stay separate", () => {
    const input = makeInput({ ...fri, durationMinutes: 90, weeklyRules: [rule(5, hm(22), 1440), rule(6, hm(0, 30), hm(2))] });
    expect(starts(input)).toEqual([utc("2026-01-09T22:00"), utc("2026-01-10T00:30")]);
  });

  it("works with overrides on both sides of midnight", () => {
    const input = makeInput({
      ...fri,
      durationMinutes: 120,
      dateOverrides: [
        { date: "2026-01-09", startMinute: hm(23), endMinute: 1440 },
        { date: "2026-01-10", startMinute: 0, endMinute: hm(1) },
      ],
    });
    expect(starts(input)).toEqual([utc("2026-01-09T23:00")]);
  });

  it("a window covering a whole day is not joined to the next day", () => {
    // Fri 22:00–24:00 + Sat 00:00–24:00 + Sun 00:00–02:00: Fri/Sat join (grid from Fri 22:00), Sun starts afresh.
    const input = makeInput({
      from: new Date("2026-01-09T00:00:00Z"),
      to: new Date("2026-01-12T00:00:00Z"),
      durationMinutes: 90,
      weeklyRules: [rule(5, hm(22), 1440), rule(6, 0, 1440), rule(0, 0, hm(2))],
    });
    const s = starts(input);
    expect(s[0]).toBe(utc("2026-01-09T22:00"));
    expect(s).toContain(utc("2026-01-10T01:00")); // 22:00 + 2 × 1.5 h, across midnight
    expect(s).not.toContain(utc("2026-01-10T00:00"));
    expect(s.at(-2)).toBe(utc("2026-01-10T22:00")); // last start of the joined window ending Sun 00:00
    expect(s.at(-1)).toBe(utc("2026-01-11T00:00")); // Sunday's window
    expect(s).toHaveLength(18);
  });

  it("a whole-day window is never joined to the next day, even when it begins the chain", () => {
    // Sat 00:00–24:00 (Friday has no hours) + Sun 00:00–02:00 with 100-minute sessions: Sunday starts afresh.
    const input = makeInput({
      from: new Date("2026-01-09T00:00:00Z"),
      to: new Date("2026-01-12T00:00:00Z"),
      durationMinutes: 100,
      weeklyRules: [rule(6, 0, 1440), rule(0, 0, hm(2))],
    });
    const s = starts(input);
    expect(s.at(-2)).toBe(utc("2026-01-10T21:40")); // 00:00 + 13 × 100 min; 23:20 would need a joined window
    expect(s.at(-1)).toBe(utc("2026-01-11T00:00"));
    expect(s).toHaveLength(15);
  });

  it("results do not depend on the query range (range split anywhere)", () => {
    const input = makeInput({
      from: new Date("2026-01-09T00:00:00Z"),
      to: new Date("2026-01-12T00:00:00Z"),
      durationMinutes: 90,
      slotIntervalMinutes: 50,
      weeklyRules: [rule(5, hm(22), 1440), rule(6, 0, 1440), rule(0, 0, hm(2))],
    });
    const all = starts(input);
    for (const cut of ["2026-01-09T23:10", "2026-01-10T00:00", "2026-01-10T13:37", "2026-01-11T00:10"]) {
      const mid = new Date(`${cut}:00Z`);
      expect([...starts({ ...input, to: mid }), ...starts({ ...input, from: mid })]).toEqual(all);
    }
  });
});

describe("isSlotBookable", () => {
  const input = makeInput({
    ...monday,
    slotIntervalMinutes: 30,
    weeklyRules: [rule(1, hm(8), hm(12)), rule(0, hm(23), 1440)],
    busy: [{ start: new Date("2026-01-05T10:00:00Z"), end: new Date("2026-01-05T10:30:00Z") }],
    now: new Date("2026-01-05T07:00:00Z"),
    minimumNoticeMinutes: 90,
  });

  it("agrees with getAvailableSlots", () => {
    const slots = new Set(starts(input));
    for (let t = Date.parse("2026-01-04T20:00:00Z"); t < Date.parse("2026-01-05T13:00:00Z"); t += 5 * 60_000) {
      expect(isSlotBookable(input, new Date(t)), new Date(t).toISOString()).toBe(slots.has(new Date(t).toISOString()));
    }
    // 08:30 (first after notice), 09:00 (touches busy), 10:30, 11:00; Sunday 23:00 is in the past.
    expect([...slots]).toEqual(["08:30", "09:00", "10:30", "11:00"].map((t) => utc(`2026-01-05T${t}`)));
  });

  it("rejects off-grid, busy, too-soon and out-of-hours starts and ignores from/to", () => {
    expect(isSlotBookable(input, new Date("2026-01-05T09:00:00Z"))).toBe(true);
    const elsewhere: AvailabilityInput = { ...input, from: new Date(0), to: new Date(1) };
    expect(isSlotBookable(elsewhere, new Date("2026-01-05T09:00:00Z"))).toBe(true);
    expect(isSlotBookable(input, new Date("2026-01-05T09:15:00Z"))).toBe(false); // off grid
    expect(isSlotBookable(input, new Date("2026-01-05T09:30:00Z"))).toBe(false); // overlaps busy
    expect(isSlotBookable(input, new Date("2026-01-05T08:00:00Z"))).toBe(false); // notice
    expect(isSlotBookable(input, new Date("2026-01-05T11:30:00Z"))).toBe(false); // would end after 12:00
  });
});

describe("blockedRange", () => {
  it("widens a booking by its buffers", () => {
    const r = blockedRange(new Date("2026-01-05T10:00:00Z"), new Date("2026-01-05T11:00:00Z"), 15, 10);
    expect(r.from.toISOString()).toBe(utc("2026-01-05T09:45"));
    expect(r.until.toISOString()).toBe(utc("2026-01-05T11:10"));
  });

  it("a slot is free exactly when its blocked range does not overlap another's", () => {
    const existing = blockedRange(new Date("2026-01-05T10:00:00Z"), new Date("2026-01-05T11:00:00Z"), 15, 15);
    const input = makeInput({
      ...monday,
      slotIntervalMinutes: 15,
      bufferBeforeMinutes: 15,
      bufferAfterMinutes: 15,
      weeklyRules: [rule(1, hm(8), hm(14))],
      busy: [{ start: existing.from, end: existing.until }],
    });
    const s = starts(input);
    expect(s).toContain(utc("2026-01-05T08:30")); // ends 09:30, +15 = 09:45 touches existing.from
    expect(s).not.toContain(utc("2026-01-05T08:45"));
    expect(s).not.toContain(utc("2026-01-05T11:15"));
    expect(s).toContain(utc("2026-01-05T11:30")); // 11:30 - 15 = 11:15 = existing.until
  });
});

describe("input validation", () => {
  it("throws RangeError on bad numbers, zones and dates", () => {
    const ok = makeInput({ weeklyRules: [rule(1, hm(9), hm(10))] });
    expect(() => getAvailableSlots({ ...ok, durationMinutes: 0 })).toThrow(RangeError);
    expect(() => getAvailableSlots({ ...ok, slotIntervalMinutes: -5 })).toThrow(RangeError);
    expect(() => getAvailableSlots({ ...ok, bufferAfterMinutes: Number.NaN })).toThrow(RangeError);
    expect(() => getAvailableSlots({ ...ok, timeZone: "Mars/Olympus" })).toThrow(RangeError);
    expect(() => getAvailableSlots({ ...ok, from: new Date("nope") })).toThrow(RangeError);
    expect(() => getAvailableSlots({ ...ok, weeklyRules: [rule(7, 0, 60)] })).toThrow(RangeError);
    expect(() => blockedRange(new Date(), new Date(), -1, 0)).toThrow(RangeError);
  });

  it("an empty or inverted range gives no slots", () => {
    const ok = makeInput({ weeklyRules: [rule(1, hm(9), hm(10))] });
    expect(getAvailableSlots({ ...ok, from: ok.to, to: ok.from })).toEqual([]);
  });

  it("infinite horizon is allowed", () => {
    const input = makeInput({ ...monday, weeklyRules: [rule(1, hm(9), hm(10))], bookingHorizonDays: Infinity });
    expect(starts(input)).toEqual([utc("2026-01-05T09:00")]);
  });
});
