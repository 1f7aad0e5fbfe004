import { z } from "zod";

/**
 * The cancellation and reschedule policy copied onto a booking when it is made, so later changes by the coach never
 * change what a student was promised. The snapshot on the booking decides, never the coach's current settings.
 *
 * Refund tiers are measured in elapsed time (milliseconds between now and the start), not in wall-clock hours: on a
 * daylight-saving change day "24 h before" a 10:00 session is 09:00 or 11:00 the day before on the clock, in the
 * coach's zone and in the student's alike. A tier applies when the notice is at least its hours (to the
 * millisecond); tiers are checked from the longest notice down; below every tier the refund is 0.
 *
 * Rounding rule (one, everywhere): refund = floor(base × percent / 100) in integer minor units of the currency
 * (cents, pence, or yen: zero-decimal currencies need no special case because the amount is already whole units),
 * where base = what was paid for the booking minus what has already been refunded. So a refund never exceeds what
 * is left, and a fraction of a minor unit always stays with the coach.
 */
export const tierSchema = z.object({
  minHoursBefore: z.number().int().min(0).max(24 * 365),
  percent: z.number().int().min(0).max(100),
});

export const policySchema = z.object({
  version: z.literal(2),
  /** Longest notice first. */
  refundTiers: z.array(tierSchema).max(5),
  rescheduleCutoffHours: z.number().int().min(0),
  maxReschedules: z.number().int().min(0),
});
export type PolicySnapshot = z.infer<typeof policySchema>;

/** Snapshots taken before tiers existed (version 1): 100% at fullRefundHoursBefore, the late percent until the start. */
const policyV1Schema = z.object({
  version: z.literal(1),
  fullRefundHoursBefore: z.number().int().min(0),
  lateCancelRefundPercent: z.number().int().min(0).max(100),
});

export const DEFAULT_RESCHEDULE_CUTOFF_HOURS = 12;
export const DEFAULT_MAX_RESCHEDULES = 2;

/** Reads a stored snapshot (any version) as the current shape. */
export function readPolicy(stored: unknown): PolicySnapshot {
  const v2 = policySchema.safeParse(stored);
  if (v2.success) return sortTiers(v2.data);
  const v1 = policyV1Schema.parse(stored);
  return {
    version: 2,
    refundTiers: [
      { minHoursBefore: v1.fullRefundHoursBefore, percent: 100 },
      { minHoursBefore: 0, percent: v1.lateCancelRefundPercent },
    ],
    rescheduleCutoffHours: DEFAULT_RESCHEDULE_CUTOFF_HOURS,
    maxReschedules: DEFAULT_MAX_RESCHEDULES,
  };
}

export interface CoachPolicySettings {
  fullRefundHoursBefore: number;
  lateCancelRefundPercent: number;
  partialRefundHoursBefore: number;
  rescheduleCutoffHours: number;
  maxReschedules: number;
}

export function snapshotPolicy(coach: CoachPolicySettings): PolicySnapshot {
  return sortTiers({
    version: 2,
    refundTiers: [
      { minHoursBefore: coach.fullRefundHoursBefore, percent: 100 },
      { minHoursBefore: coach.partialRefundHoursBefore, percent: coach.lateCancelRefundPercent },
    ],
    rescheduleCutoffHours: coach.rescheduleCutoffHours,
    maxReschedules: coach.maxReschedules,
  });
}

function sortTiers(policy: PolicySnapshot): PolicySnapshot {
  return { ...policy, refundTiers: [...policy.refundTiers].sort((a, b) => b.minHoursBefore - a.minHoursBefore) };
}

const HOUR_MS = 3_600_000;

/** The percentage a student gets back when cancelling at `now` a session starting at `startsAt`. */
export function refundPercent(policy: PolicySnapshot, startsAt: Date, now: Date): number {
  const noticeMs = startsAt.getTime() - now.getTime();
  if (noticeMs <= 0) return 0;
  for (const tier of sortTiers(policy).refundTiers) {
    if (noticeMs >= tier.minHoursBefore * HOUR_MS) return tier.percent;
  }
  return 0;
}

/** The rounding rule: floor(base × percent / 100), never negative, never above the base. */
export function percentOf(baseMinor: number, percent: number): number {
  if (baseMinor <= 0 || percent <= 0) return 0;
  if (percent >= 100) return baseMinor;
  return Math.floor((baseMinor * percent) / 100);
}

/** Refund for a student cancelling at `now`, from what is still refundable (paid minus already refunded). */
export function refundForCancellation(policy: PolicySnapshot, refundableMinor: number, startsAt: Date, now: Date): number {
  return percentOf(refundableMinor, refundPercent(policy, startsAt, now));
}

/** Why a student may not reschedule now (null: allowed). Coaches and admins are not bound by the cut-off or limit. */
export function rescheduleRefusal(policy: PolicySnapshot, startsAt: Date, now: Date, rescheduleCount: number): string | null {
  if (startsAt.getTime() - now.getTime() < policy.rescheduleCutoffHours * HOUR_MS) {
    return `Sessions can be moved up to ${policy.rescheduleCutoffHours} hours before they start; this one is closer than that.`;
  }
  if (rescheduleCount >= policy.maxReschedules) {
    return policy.maxReschedules === 0
      ? "This coach does not allow sessions to be moved."
      : `This session has already been moved ${rescheduleCount} time${rescheduleCount === 1 ? "" : "s"}, the most this coach allows.`;
  }
  return null;
}

/** Plain-language lines for the dialog and the policy page. */
export function describePolicy(policy: PolicySnapshot): string[] {
  const lines: string[] = [];
  const tiers = sortTiers(policy).refundTiers;
  tiers.forEach((tier, i) => {
    const upper = i === 0 ? null : tiers[i - 1].minHoursBefore;
    const range = upper === null ? `${tier.minHoursBefore} hours or more before the start` : `from ${upper} down to ${tier.minHoursBefore} hours before the start`;
    lines.push(`Cancel ${range}: ${tier.percent}% refund.`);
  });
  const last = tiers.at(-1);
  if (last && last.minHoursBefore > 0) lines.push(`Cancel less than ${last.minHoursBefore} hours before the start: no refund.`);
  lines.push(
    policy.maxReschedules === 0
      ? "Sessions cannot be moved by the student."
      : `Move a session up to ${policy.rescheduleCutoffHours} hours before it starts, at most ${policy.maxReschedules} time${policy.maxReschedules === 1 ? "" : "s"}.`,
  );
  lines.push("If the coach cancels, the refund is always 100%.");
  return lines;
}

/** Validation of the coach's policy form (also enforced by a CHECK constraint). */
export const coachPolicySchema = z
  .object({
    fullRefundHoursBefore: z.number().int("Use whole hours.").min(0, "Hours cannot be negative.").max(720, "At most 720 hours (30 days)."),
    partialRefundHoursBefore: z.number().int("Use whole hours.").min(0, "Hours cannot be negative.").max(720, "At most 720 hours (30 days)."),
    lateCancelRefundPercent: z.number().int("Use a whole percentage.").min(0, "The percentage is between 0 and 100.").max(100, "The percentage is between 0 and 100."),
    rescheduleCutoffHours: z.number().int("Use whole hours.").min(0, "Hours cannot be negative.").max(720, "At most 720 hours (30 days)."),
    maxReschedules: z.number().int("Use a whole number.").min(0, "Use 0 or more.").max(20, "At most 20."),
  })
  .refine((p) => p.partialRefundHoursBefore <= p.fullRefundHoursBefore, {
    path: ["partialRefundHoursBefore"],
    message: "The partial-refund notice must not be longer than the full-refund notice.",
  });
export type CoachPolicyInput = z.infer<typeof coachPolicySchema>;
