import { describe, expect, it } from "vitest";
import { policySchema, refundForCancellation, snapshotPolicy } from "./policy";

const policy = snapshotPolicy({ fullRefundHoursBefore: 24, lateCancelRefundPercent: 50 });
const start = new Date("2026-12-10T10:00:00Z");
const hoursBefore = (h: number) => new Date(start.getTime() - h * 3_600_000);

describe("cancellation policy snapshot", () => {
  it("is a versioned, validated copy of the coach's settings", () => {
    expect(policySchema.parse(policy)).toEqual({ version: 1, fullRefundHoursBefore: 24, lateCancelRefundPercent: 50 });
  });

  it("refunds in full up to and including the boundary, by the percentage after it, nothing once started", () => {
    expect(refundForCancellation(policy, 9000, start, hoursBefore(48))).toBe(9000);
    expect(refundForCancellation(policy, 9000, start, hoursBefore(24))).toBe(9000);
    expect(refundForCancellation(policy, 9000, start, hoursBefore(23.99))).toBe(4500);
    expect(refundForCancellation(policy, 9000, start, hoursBefore(0))).toBe(0);
    expect(refundForCancellation(policy, 9000, start, hoursBefore(-1))).toBe(0);
  });

  it("rounds partial refunds down to whole minor units, never above what was paid", () => {
    expect(refundForCancellation(policy, 4999, start, hoursBefore(1))).toBe(2499);
    expect(refundForCancellation({ ...policy, lateCancelRefundPercent: 100 }, 4999, start, hoursBefore(1))).toBe(4999);
    expect(refundForCancellation({ ...policy, lateCancelRefundPercent: 0 }, 4999, start, hoursBefore(1))).toBe(0);
  });
});
