import { z } from "zod";

/**
 * The cancellation policy copied onto a booking when it is made, so later changes by the coach never change
 * what a student was promised. Amounts are computed in integer minor units. Every booking stores its snapshot
 * today; `refundForCancellation` is the rule student cancellation will apply (that flow is not built yet).
 */
export const policySchema = z.object({
  version: z.literal(1),
  fullRefundHoursBefore: z.number().int().min(0),
  lateCancelRefundPercent: z.number().int().min(0).max(100),
});
export type PolicySnapshot = z.infer<typeof policySchema>;

export function snapshotPolicy(coach: { fullRefundHoursBefore: number; lateCancelRefundPercent: number }): PolicySnapshot {
  return { version: 1, fullRefundHoursBefore: coach.fullRefundHoursBefore, lateCancelRefundPercent: coach.lateCancelRefundPercent };
}

/** Refund for a student cancelling at `now` a booking that starts at `startsAt` and was paid `paidMinor`. */
export function refundForCancellation(policy: PolicySnapshot, paidMinor: number, startsAt: Date, now: Date): number {
  const hoursBefore = (startsAt.getTime() - now.getTime()) / 3_600_000;
  if (hoursBefore >= policy.fullRefundHoursBefore) return paidMinor;
  if (hoursBefore <= 0) return 0;
  return Math.floor((paidMinor * policy.lateCancelRefundPercent) / 100);
}
