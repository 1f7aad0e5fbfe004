import { describe, expect, it } from "vitest";
import { contentHash, hhmm, toCalcomEventType, toCalcomSchedule } from "./mapping";

describe("Cal.com mapping", () => {
  it("groups weekly ranges by hours and names the days", () => {
    const schedule = toCalcomSchedule({
      timeZone: "Europe/Berlin",
      weeklyRules: [
        { weekday: 2, startMinute: 540, endMinute: 720 },
        { weekday: 1, startMinute: 540, endMinute: 720 },
        { weekday: 1, startMinute: 780, endMinute: 1020 },
        { weekday: 6, startMinute: 1320, endMinute: 1440 },
      ],
      dateOverrides: [],
    });
    expect(schedule.availability).toEqual([
      { days: ["Monday", "Tuesday"], startTime: "09:00", endTime: "12:00" },
      { days: ["Monday"], startTime: "13:00", endTime: "17:00" },
      { days: ["Saturday"], startTime: "22:00", endTime: "23:59" },
    ]);
  });

  it("turns a day off into a 00:00-00:00 override and keeps extra hours", () => {
    const schedule = toCalcomSchedule({
      timeZone: "UTC",
      weeklyRules: [],
      dateOverrides: [
        { date: "2026-12-24", startMinute: null, endMinute: null },
        { date: "2026-12-27", startMinute: 600, endMinute: 660 },
      ],
    });
    expect(schedule.overrides).toEqual([
      { date: "2026-12-24", startTime: "00:00", endTime: "00:00" },
      { date: "2026-12-27", startTime: "10:00", endTime: "11:00" },
    ]);
  });

  it("builds a pending-until-paid, auth-only event type", () => {
    const input = toCalcomEventType(
      { id: "cmabc123XYZ987", title: "Career Chat", description: "d", durationMinutes: 45, active: true },
      { bufferBeforeMinutes: 5, bufferAfterMinutes: 10, minimumNoticeMinutes: 120, bookingHorizonDays: 30, slotIntervalMinutes: null },
      77,
    );
    expect(input).toMatchObject({
      title: "Career Chat",
      slug: "career-chat-xyz987",
      lengthInMinutes: 45,
      beforeEventBuffer: 5,
      afterEventBuffer: 10,
      minimumBookingNotice: 120,
      scheduleId: 77,
      confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: true },
      bookingRequiresAuthentication: true,
      hidden: false,
    });
    expect(input).not.toHaveProperty("slotInterval");
  });

  it("hashes content deterministically", () => {
    expect(contentHash({ a: 1 })).toBe(contentHash({ a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    expect(hhmm(0)).toBe("00:00");
    expect(hhmm(1440)).toBe("23:59");
  });
});
