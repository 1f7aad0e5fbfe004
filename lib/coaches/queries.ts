import { db } from "@/lib/db/client";

export async function listCoaches() {
  const coaches = await db.coachProfile.findMany({
    include: { user: { select: { name: true } }, offerings: { where: { active: true }, orderBy: { priceMinor: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
  return coaches.map((coach) => ({
    id: coach.id,
    slug: coach.slug,
    name: coach.user.name,
    headline: coach.headline,
    timeZone: coach.timeZone,
    offeringCount: coach.offerings.length,
    cheapest: coach.offerings[0] ? { priceMinor: coach.offerings[0].priceMinor, currency: coach.offerings[0].currency } : null,
  }));
}

export async function getCoachBySlug(slug: string) {
  return db.coachProfile.findUnique({
    where: { slug },
    include: {
      user: { select: { name: true } },
      offerings: { where: { active: true }, orderBy: [{ durationMinutes: "asc" }, { priceMinor: "asc" }] },
    },
  });
}
