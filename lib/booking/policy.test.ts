import { TZDate } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { coachPolicySchema, describePolicy, percentOf, readPolicy, refundForCancellation, refundPercent, rescheduleRefusal, snapshotPolicy } from "./policy";

const policy = snapshotPolicy({ fullRefundHoursBefore: 24, partialRefundHoursBefore: 2, lateCancelRefundPercent: 50, rescheduleCutoffHours: 12, maxReschedules: 2 });
const start = new Date("2026-12-10T10:00:00Z");
const before = (ms: number) => new Date(start.getTime() - ms);
const H = 3_600_000;

describe("refund tiers, to the second", () => {
  it.each([
    ["48 h before", 48 * H, 100],
    ["exactly 24 h before", 24 * H, 100],
    ["24 h minus 1 s", 24 * H - 1000, 50],
    ["24 h minus 1 ms", 24 * H - 1, 50],
    ["exactly 2 h before", 2 * H, 50],
    ["2 h minus 1 s", 2 * H - 1000, 0],
    ["1 s before the start", 1000, 0],
    ["at the start", 0, 0],
    ["after the start", -H, 0],
  ])("%s → %i%%", (_label, ms, percent) => {
    expect(refundPercent(policy, start, before(ms))).toBe(percent);
    expect(refundForCancellation(policy, 9000, start, before(ms))).toBe((9000 * percent) / 100);
  });

  it("measures notice in elapsed hours on DST change days, in the coach's and the student's zones", () => {
    // Europe/Berlin springs forward on 2026-03-29 (02:00 -> 03:00): a 10:00 session on the 29th starts 23 wall-clock
    // hours after 10:00 on the 28th, so 10:00 the day before is less than 24 h of notice; 09:00 is exactly 24 h.
    const berlinStart = new TZDate(2026, 2, 29, 10, 0, 0, "Europe/Berlin");
    const sameClockDayBefore = new TZDate(2026, 2, 28, 10, 0, 0, "Europe/Berlin");
    const realDayBefore = new TZDate(2026, 2, 28, 9, 0, 0, "Europe/Berlin");
    expect(refundPercent(policy, berlinStart, sameClockDayBefore)).toBe(50);
    expect(refundPercent(policy, berlinStart, realDayBefore)).toBe(100);
    expect(refundPercent(policy, berlinStart, new Date(realDayBefore.getTime() + 1000))).toBe(50);
    // America/New_York falls back on 2026-11-01 (02:00 -> 01:00): 10:00 the day before is 25 h of notice; the
    // 24 h boundary is 11:00 the day before, on the student's clock.
    const nyStart = new TZDate(2026, 10, 1, 10, 0, 0, "America/New_York");
    expect(refundPercent(policy, nyStart, new TZDate(2026, 9, 31, 11, 0, 0, "America/New_York"))).toBe(100);
    expect(refundPercent(policy, nyStart, new TZDate(2026, 9, 31, 11, 0, 1, "America/New_York"))).toBe(50);
    // The 2 h boundary across the Berlin gap: 00:30 to 03:30 on the clock is only 2 real hours.
    const early = new TZDate(2026, 2, 29, 3, 30, 0, "Europe/Berlin");
    expect(refundPercent(policy, early, new TZDate(2026, 2, 29, 0, 30, 0, "Europe/Berlin"))).toBe(50); // 2 real hours
    expect(refundPercent(policy, early, new TZDate(2026, 2, 29, 0, 30, 1, "Europe/Berlin"))).toBe(0);
  });
});

describe("the rounding rule", () => {
  it("floors base × percent / 100 in minor units, for cents and for zero-decimal currencies alike", () => {
    expect(percentOf(4999, 50)).toBe(2499); // EUR 49.99 -> 24.99 (the half cent stays)
    expect(percentOf(999, 33)).toBe(329); // JPY 999 -> 329 (329.67 floored)
    expect(percentOf(1, 50)).toBe(0);
    expect(percentOf(4999, 100)).toBe(4999);
    expect(percentOf(4999, 0)).toBe(0);
    expect(percentOf(0, 50)).toBe(0);
    expect(percentOf(999_999_999, 99)).toBe(989_999_999);
  });

  it("applies the percentage to what is still refundable, so it can never exceed it", () => {
    expect(refundForCancellation(policy, 3000, start, before(3 * H))).toBe(1500);
    expect(refundForCancellation(policy, 0, start, before(48 * H))).toBe(0);
  });
});

describe("policy snapshot", () => {
  it("reads version-1 snapshots of bookings made before tiers existed", () => {
    const old = readPolicy({ version: 1, fullRefundHoursBefore: 24, lateCancelRefundPercent: 50 });
    expect(old.refundTiers).toEqual([{ minHoursBefore: 24, percent: 100 }, { minHoursBefore: 0, percent: 50 }]);
    expect(refundPercent(old, start, before(1000))).toBe(50);
    expect(readPolicy(policy)).toEqual(policy);
  });

  it("refuses a student reschedule inside the cut-off or past the limit", () => {
    expect(rescheduleRefusal(policy, start, before(12 * H), 0)).toBeNull();
    expect(rescheduleRefusal(policy, start, before(12 * H - 1000), 0)).toMatch(/12 hours/);
    expect(rescheduleRefusal(policy, start, before(48 * H), 1)).toBeNull();
    expect(rescheduleRefusal(policy, start, before(48 * H), 2)).toMatch(/moved 2 times/);
    expect(rescheduleRefusal({ ...policy, maxReschedules: 0 }, start, before(48 * H), 0)).toMatch(/does not allow/);
  });

  it("validates the coach's form with clear messages", () => {
    const ok = { fullRefundHoursBefore: 24, partialRefundHoursBefore: 2, lateCancelRefundPercent: 50, rescheduleCutoffHours: 12, maxReschedules: 2 };
    expect(coachPolicySchema.safeParse(ok).success).toBe(true);
    const bad = coachPolicySchema.safeParse({ ...ok, partialRefundHoursBefore: 30 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/must not be longer than the full-refund notice/);
    expect(coachPolicySchema.safeParse({ ...ok, lateCancelRefundPercent: 101 }).error?.issues[0].message).toMatch(/between 0 and 100/);
    expect(describePolicy(policy)).toEqual([
      "Cancel 24 hours or more before the start: 100% refund.",
      "Cancel from 24 down to 2 hours before the start: 50% refund.",
      "Cancel less than 2 hours before the start: no refund.",
      "Move a session up to 12 hours before it starts, at most 2 times.",
      "If the coach cancels, the refund is always 100%.",
    ]);
  });
});
