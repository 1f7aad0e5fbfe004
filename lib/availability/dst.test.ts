/**
 * Hand-worked DST and odd-offset cases. Every expectation is an exact UTC instant worked out from the zone's
 * rules; the comment gives the local reading.
 */
import { TZDate } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { getAvailableSlots, localTimeToInstant } from "@/lib/availability";
import { hm, makeInput, rule, starts, utc } from "./test-helpers";

const SUNDAY = 0;

/** Slots of one local day, given as a UTC range that covers it. */
function day(timeZone: string, fromIso: string, toIso: string, ranges: Array<[number, number]>, durationMinutes = 60) {
  return makeInput({
    timeZone,
    durationMinutes,
    weeklyRules: ranges.map(([s, e]) => rule(SUNDAY, s, e)),
    from: new Date(fromIso),
    to: new Date(toIso),
  });
}

function localHours(input: ReturnType<typeof makeInput>): string[] {
  return getAvailableSlots(input).map((s) => {
    const z = new TZDate(s.start.getTime(), input.timeZone);
    return `${String(z.getHours()).padStart(2, "0")}:${String(z.getMinutes()).padStart(2, "0")}`;
  });
}

describe("America/New_York, spring forward 2026-03-08 (02:00 EST → 03:00 EDT at 07:00Z)", () => {
  const tz = "America/New_York";
  const range = ["2026-03-08T04:00:00Z", "2026-03-09T04:00:00Z"] as const;

  it("13:00–17:00 stays at 13:00 local (EDT, -04:00)", () => {
    const input = day(tz, ...range, [[hm(13), hm(17)]]);
    expect(starts(input)).toEqual(["17:00", "18:00", "19:00", "20:00"].map((t) => utc(`2026-03-08T${t}`)));
    expect(localHours(input)).toEqual(["13:00", "14:00", "15:00", "16:00"]);
    // The Sunday before is still EST.
    expect(starts(day(tz, "2026-03-01T05:00:00Z", "2026-03-02T05:00:00Z", [[hm(13), hm(17)]]))[0]).toBe(utc("2026-03-01T18:00"));
  });

  it("01:00–04:00 lasts 2 real hours", () => {
    // 01:00 EST = 06:00Z; 03:00 EDT = 07:00Z; 04:00 EDT = 08:00Z.
    expect(starts(day(tz, ...range, [[hm(1), hm(4)]]))).toEqual([utc("2026-03-08T06:00"), utc("2026-03-08T07:00")]);
  });

  it("a boundary inside the gap moves to the first instant after it", () => {
    // 02:30 does not exist: the window starts at 03:00 EDT = 07:00Z.
    expect(starts(day(tz, ...range, [[hm(2, 30), hm(4)]], 30))).toEqual([utc("2026-03-08T07:00"), utc("2026-03-08T07:30")]);
    // 00:00–02:30 ends at 03:00 EDT too: 00:00 EST = 05:00Z … 07:00Z.
    expect(starts(day(tz, ...range, [[0, hm(2, 30)]]))).toEqual([utc("2026-03-08T05:00"), utc("2026-03-08T06:00")]);
  });

  it("a window entirely inside the gap is empty; ranges around the gap join", () => {
    expect(starts(day(tz, ...range, [[hm(2), hm(3)]], 15))).toEqual([]);
    // 01:00–02:00 and 03:00–04:00 are contiguous on this day: a 2-hour session fits.
    expect(starts(day(tz, ...range, [[hm(1), hm(2)], [hm(3), hm(4)]], 120))).toEqual([utc("2026-03-08T06:00")]);
  });
});

describe("America/New_York, fall back 2026-11-01 (02:00 EDT → 01:00 EST at 06:00Z)", () => {
  const tz = "America/New_York";
  const range = ["2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"] as const;

  it("13:00–17:00 stays at 13:00 local (EST, -05:00)", () => {
    const input = day(tz, ...range, [[hm(13), hm(17)]]);
    expect(starts(input)).toEqual(["18:00", "19:00", "20:00", "21:00"].map((t) => utc(`2026-11-01T${t}`)));
    expect(localHours(input)).toEqual(["13:00", "14:00", "15:00", "16:00"]);
    expect(starts(day(tz, "2026-10-25T04:00:00Z", "2026-10-26T04:00:00Z", [[hm(13), hm(17)]]))[0]).toBe(utc("2026-10-25T17:00"));
  });

  it("01:00–03:00 lasts 3 real hours", () => {
    // 01:00 EDT = 05:00Z, 01:00 EST = 06:00Z, 02:00 EST = 07:00Z; 03:00 EST = 08:00Z.
    const input = day(tz, ...range, [[hm(1), hm(3)]]);
    expect(starts(input)).toEqual([utc("2026-11-01T05:00"), utc("2026-11-01T06:00"), utc("2026-11-01T07:00")]);
    expect(localHours(input)).toEqual(["01:00", "01:00", "02:00"]);
  });

  it("a boundary inside the repeated hour takes its first occurrence", () => {
    // 01:30 EDT = 05:30Z; the window runs until the clock first shows 02:00 (EST, 07:00Z).
    expect(starts(day(tz, ...range, [[hm(1, 30), hm(2)]], 30))).toEqual(
      ["05:30", "06:00", "06:30"].map((t) => utc(`2026-11-01T${t}`)),
    );
    // 00:00–01:30 ends at the first 01:30 (05:30Z).
    expect(starts(day(tz, ...range, [[0, hm(1, 30)]], 30))).toEqual(["04:00", "04:30", "05:00"].map((t) => utc(`2026-11-01T${t}`)));
  });
});

describe("Europe/Berlin, spring forward 2026-03-29 (02:00 CET → 03:00 CEST at 01:00Z)", () => {
  const tz = "Europe/Berlin";
  const range = ["2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"] as const;

  it("13:00–17:00 stays at 13:00 local (CEST, +02:00)", () => {
    const input = day(tz, ...range, [[hm(13), hm(17)]]);
    expect(starts(input)).toEqual(["11:00", "12:00", "13:00", "14:00"].map((t) => utc(`2026-03-29T${t}`)));
    expect(localHours(input)).toEqual(["13:00", "14:00", "15:00", "16:00"]);
    expect(starts(day(tz, "2026-03-21T23:00:00Z", "2026-03-22T23:00:00Z", [[hm(13), hm(17)]]))[0]).toBe(utc("2026-03-22T12:00"));
  });

  it("01:00–04:00 lasts 2 real hours; 02:30 moves to 03:00 CEST", () => {
    expect(starts(day(tz, ...range, [[hm(1), hm(4)]]))).toEqual([utc("2026-03-29T00:00"), utc("2026-03-29T01:00")]);
    expect(starts(day(tz, ...range, [[hm(2, 30), hm(4)]], 30))).toEqual([utc("2026-03-29T01:00"), utc("2026-03-29T01:30")]);
  });
});

describe("Europe/Berlin, fall back 2026-10-25 (03:00 CEST → 02:00 CET at 01:00Z)", () => {
  const tz = "Europe/Berlin";
  const range = ["2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"] as const;

  it("13:00–17:00 stays at 13:00 local (CET, +01:00)", () => {
    const input = day(tz, ...range, [[hm(13), hm(17)]]);
    expect(starts(input)).toEqual(["12:00", "13:00", "14:00", "15:00"].map((t) => utc(`2026-10-25T${t}`)));
    expect(localHours(input)).toEqual(["13:00", "14:00", "15:00", "16:00"]);
    expect(starts(day(tz, "2026-10-17T22:00:00Z", "2026-10-18T22:00:00Z", [[hm(13), hm(17)]]))[0]).toBe(utc("2026-10-18T11:00"));
  });

  it("01:00–04:00 lasts 4 real hours; 02:00–03:00 covers both 02:00 hours", () => {
    // 01:00 CEST = 23:00Z (24th); 04:00 CET = 03:00Z.
    expect(starts(day(tz, ...range, [[hm(1), hm(4)]]))).toEqual([
      utc("2026-10-24T23:00"),
      utc("2026-10-25T00:00"),
      utc("2026-10-25T01:00"),
      utc("2026-10-25T02:00"),
    ]);
    // 02:00 CEST = 00:00Z until the clock first shows 03:00 (CET) = 02:00Z.
    expect(starts(day(tz, ...range, [[hm(2), hm(3)]]))).toEqual([utc("2026-10-25T00:00"), utc("2026-10-25T01:00")]);
  });
});

describe("Asia/Kolkata (+05:30, no DST)", () => {
  it("09:00–10:00 is 03:30Z; a local Monday morning can be a UTC Sunday", () => {
    const input = makeInput({
      timeZone: "Asia/Kolkata",
      weeklyRules: [rule(1, hm(1), hm(2)), rule(1, hm(9), hm(10)), rule(1, hm(13), hm(14, 30))],
      slotIntervalMinutes: 30,
      from: new Date("2026-01-04T18:30:00Z"), // Monday 2026-01-05 00:00 IST
      to: new Date("2026-01-05T18:30:00Z"),
    });
    expect(starts(input)).toEqual([
      utc("2026-01-04T19:30"), // 01:00 IST
      utc("2026-01-05T03:30"), // 09:00 IST
      utc("2026-01-05T07:30"), // 13:00 IST
      utc("2026-01-05T08:00"), // 13:30 IST
    ]);
  });
});

describe("Australia/Adelaide (+09:30 ACST / +10:30 ACDT)", () => {
  const tz = "Australia/Adelaide";

  it("DST starts on the first Sunday of October (2026-10-04, 02:00 ACST → 03:00 ACDT at 16:30Z)", () => {
    const range = ["2026-10-03T14:30:00Z", "2026-10-04T13:30:00Z"] as const;
    const afternoon = day(tz, ...range, [[hm(13), hm(17)]]);
    expect(starts(afternoon)).toEqual(["02:30", "03:30", "04:30", "05:30"].map((t) => utc(`2026-10-04T${t}`)));
    expect(localHours(afternoon)).toEqual(["13:00", "14:00", "15:00", "16:00"]);
    // The Sunday before is ACST: 13:00 = 03:30Z.
    expect(starts(day(tz, "2026-09-26T14:30:00Z", "2026-09-27T14:30:00Z", [[hm(13), hm(17)]]))[0]).toBe(utc("2026-09-27T03:30"));
    // 01:00 ACST = 15:30Z; 02:00 does not exist → 03:00 ACDT = 16:30Z; 04:00 ACDT = 17:30Z.
    expect(starts(day(tz, ...range, [[hm(1), hm(4)]]))).toEqual([utc("2026-10-03T15:30"), utc("2026-10-03T16:30")]);
    expect(starts(day(tz, ...range, [[hm(2), hm(4)]]))).toEqual([utc("2026-10-03T16:30")]);
  });

  it("DST ends on the first Sunday of April (2026-04-05, 03:00 ACDT → 02:00 ACST at 16:30Z)", () => {
    const range = ["2026-04-04T13:30:00Z", "2026-04-05T14:30:00Z"] as const;
    const afternoon = day(tz, ...range, [[hm(13), hm(17)]]);
    expect(starts(afternoon)).toEqual(["03:30", "04:30", "05:30", "06:30"].map((t) => utc(`2026-04-05T${t}`)));
    expect(localHours(afternoon)).toEqual(["13:00", "14:00", "15:00", "16:00"]);
    expect(starts(day(tz, "2026-03-28T13:30:00Z", "2026-03-29T13:30:00Z", [[hm(13), hm(17)]]))[0]).toBe(utc("2026-03-29T02:30"));
    // 01:00 ACDT = 14:30Z; the clock first shows 03:00 after the repeated hour: 03:00 ACST = 17:30Z (3 real hours).
    expect(starts(day(tz, ...range, [[hm(1), hm(3)]]))).toEqual(
      ["14:30", "15:30", "16:30"].map((t) => utc(`2026-04-04T${t}`)),
    );
  });
});

describe("a midnight-spanning window across a DST change", () => {
  it("Sat 22:00–24:00 + Sun 00:00–04:00 in New York on 2026-03-08 is one 5-hour window", () => {
    // Sat 22:00 EST = 03:00Z; Sun 04:00 EDT = 08:00Z.
    const input = makeInput({
      timeZone: "America/New_York",
      durationMinutes: 150,
      weeklyRules: [rule(6, hm(22), 1440), rule(0, 0, hm(4))],
      from: new Date("2026-03-07T05:00:00Z"),
      to: new Date("2026-03-09T04:00:00Z"),
    });
    expect(starts(input)).toEqual([utc("2026-03-08T03:00"), utc("2026-03-08T05:30")]);
  });
});

describe("localTimeToInstant", () => {
  it("maps wall times by the documented rule", () => {
    const at = (tz: string, date: string, minute: number) => localTimeToInstant(tz, date, minute).toISOString();
    expect(at("America/New_York", "2026-03-08", hm(2, 30))).toBe(utc("2026-03-08T07:00")); // skipped → end of gap
    expect(at("America/New_York", "2026-11-01", hm(1, 30))).toBe(utc("2026-11-01T05:30")); // repeated → first
    expect(at("America/New_York", "2026-11-01", 1440)).toBe(utc("2026-11-02T05:00")); // 24:00 = next midnight
    expect(at("Australia/Lord_Howe", "2026-10-04", hm(2, 15))).toBe(utc("2026-10-03T15:30")); // 30-minute DST gap
    expect(at("America/Santiago", "2026-09-06", 0)).toBe(utc("2026-09-06T04:00")); // midnight skipped → 01:00 -03
    expect(at("Asia/Kathmandu", "2026-01-01", hm(9))).toBe(utc("2026-01-01T03:15"));
  });
});
