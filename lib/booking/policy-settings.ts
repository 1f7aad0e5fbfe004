import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { coachPolicySchema, describePolicy, snapshotPolicy, type CoachPolicyInput } from "./policy";

/**
 * The coach's cancellation and reschedule policy (GET/PUT /api/coach/policy). Saving changes new bookings only:
 * every booking keeps the snapshot taken when it was made.
 */
export async function getCoachPolicy(userId: string) {
  const coach = await db.coachProfile.findUnique({
    where: { userId },
    select: { fullRefundHoursBefore: true, partialRefundHoursBefore: true, lateCancelRefundPercent: true, rescheduleCutoffHours: true, maxReschedules: true },
  });
  if (!coach) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  return { policy: coach, summary: describePolicy(snapshotPolicy(coach)) };
}

export async function saveCoachPolicy(userId: string, input: CoachPolicyInput) {
  const parsed = coachPolicySchema.parse(input);
  const updated = await db.coachProfile.updateMany({ where: { userId }, data: parsed });
  if (updated.count === 0) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  return getCoachPolicy(userId);
}
