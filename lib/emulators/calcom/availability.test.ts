import { describe, expect, it } from "vitest";
import { availabilityWindows, computeSlots, formatInZone, localDate, zonedTime } from "./availability";
import type { EmuBooking, EmuEventType, EmuSchedule } from "./state";

const schedule = (over: Partial<EmuSchedule> = {}): EmuSchedule => ({
  id: 1,
  ownerId: 1,
  name: "s",
  timeZone: "Europe/Berlin",
  availability: [{ days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"], startTime: "14:00", endTime: "16:00" }],
  overrides: [],
  ...over,
});

const type = (over: Partial<EmuEventType> = {}): EmuEventType => ({
  id: 1,
  ownerId: 1,
  title: "t",
  slug: "t",
  description: "",
  lengthInMinutes: 60,
  slotInterval: null,
  minimumBookingNotice: 0,
  beforeEventBuffer: 0,
  afterEventBuffer: 0,
  scheduleId: 1,
  hidden: false,
  confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: true },
  bookingRequiresAuthentication: false,
  locations: [],
  metadata: {},
  disableGuests: false,
  extra: {},
  ...over,
});

const iso = (ms: number) => new Date(ms).toISOString();

describe("emulator availability", () => {
  it("converts wall-clock times in the schedule zone, DST-correct", () => {
    expect(iso(zonedTime("2030-03-29", "09:00", "Europe/Berlin"))).toBe("2030-03-29T08:00:00.000Z");
    expect(iso(zonedTime("2030-04-01", "09:00", "Europe/Berlin"))).toBe("2030-04-01T07:00:00.000Z");
    expect(iso(zonedTime("2030-11-04", "09:00", "America/New_York"))).toBe("2030-11-04T14:00:00.000Z");
    expect(localDate(Date.parse("2030-01-01T23:30:00Z"), "Europe/Berlin")).toBe("2030-01-02");
    expect(formatInZone(Date.parse("2030-07-01T07:00:00Z"), "Europe/Berlin")).toBe("2030-07-01T09:00:00.000+02:00");
  });

  it("keeps afternoon windows at their wall-clock time on DST transition days (PITFALLS #8)", () => {
    // Spring forward (Sun 2030-03-31) and fall back (Sun 2030-10-27) in Berlin: 14:00 stays 14:00 local.
    const spring = availabilityWindows(schedule(), Date.parse("2030-03-31T00:00:00Z"), Date.parse("2030-03-31T23:00:00Z"));
    expect(spring.map((w) => formatInZone(w.start, "Europe/Berlin"))).toContain("2030-03-31T14:00:00.000+02:00");
    const fall = availabilityWindows(schedule(), Date.parse("2030-10-27T00:00:00Z"), Date.parse("2030-10-27T23:00:00Z"));
    expect(fall.map((w) => formatInZone(w.start, "Europe/Berlin"))).toContain("2030-10-27T14:00:00.000+01:00");
  });

  it("an override replaces that day's hours; start == end means unavailable", () => {
    const s = schedule({ overrides: [{ date: "2030-05-06", startTime: "10:00", endTime: "11:00" }, { date: "2030-05-07", startTime: "00:00", endTime: "00:00" }] });
    const windows = availabilityWindows(s, Date.parse("2030-05-06T00:00:00Z"), Date.parse("2030-05-07T22:00:00Z"));
    const local = windows.map((w) => formatInZone(w.start, "Europe/Berlin"));
    expect(local).toContain("2030-05-06T10:00:00.000+02:00");
    expect(local.some((l) => l.startsWith("2030-05-07"))).toBe(false);
  });

  it("pending bookings block only their own event type, accepted ones every type; buffers widen both sides", () => {
    const day = { rangeStart: Date.parse("2030-05-06T00:00:00Z"), rangeEnd: Date.parse("2030-05-06T23:59:59Z"), now: 0 };
    const at = Date.parse("2030-05-06T12:00:00Z"); // 14:00 Berlin
    const booking = (status: EmuBooking["status"], eventTypeId: number) => ({ uid: "b", status, eventTypeId, start: at, end: at + 3_600_000 }) as EmuBooking;
    const a = type({ id: 1 });
    const b = type({ id: 2 });
    const types = new Map([[1, a], [2, b]]);
    const run = (eventType: EmuEventType, bookings: EmuBooking[]) => computeSlots({ schedule: schedule(), eventType, bookings, eventTypes: types, ...day }).map((s) => iso(s.start));
    expect(run(a, [booking("pending", 1)])).toEqual(["2030-05-06T13:00:00.000Z"]);
    expect(run(b, [booking("pending", 1)])).toEqual(["2030-05-06T12:00:00.000Z", "2030-05-06T13:00:00.000Z"]);
    expect(run(b, [booking("accepted", 1)])).toEqual(["2030-05-06T13:00:00.000Z"]);
    expect(run(type({ id: 2, beforeEventBuffer: 15 }), [booking("accepted", 1)])).toEqual([]);
    expect(run(a, [booking("cancelled", 1)])).toHaveLength(2);
  });
});
