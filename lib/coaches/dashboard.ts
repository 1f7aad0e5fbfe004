import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export async function getCoachDashboard(userId: string) {
  const coach = await db.coachProfile.findUnique({
    where: { userId },
    include: { offerings: { where: { active: true }, orderBy: { priceMinor: "asc" } }, availabilityRules: true },
  });
  if (!coach) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  const upcomingConfirmed = await db.booking.count({ where: { coachId: coach.id, status: "CONFIRMED", startsAt: { gte: new Date() } } });
  const weeklyMinutes = coach.availabilityRules.reduce((sum, rule) => sum + (rule.endMinute - rule.startMinute), 0);
  return {
    coachId: coach.id,
    publicSlug: coach.slug,
    activeOfferings: coach.offerings.length,
    weeklyHours: Math.round((weeklyMinutes / 60) * 10) / 10,
    upcomingConfirmed,
    cheapest: coach.offerings[0] ? { priceMinor: coach.offerings[0].priceMinor, currency: coach.offerings[0].currency } : null,
  };
}
