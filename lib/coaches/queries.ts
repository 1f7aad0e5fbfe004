import { db } from "@/lib/db/client";
import { cachedPageData, COACH_LIST_TAG, coachPageTag } from "./page-cache";

export const COACH_PAGE_SIZE = 24;

export interface CoachListItem {
  id: string;
  slug: string;
  name: string;
  headline: string;
  timeZone: string;
  offeringCount: number;
  /** The cheapest active offering in each currency (prices in different currencies are never compared). */
  fromPrices: { priceMinor: number; currency: string }[];
}

export interface CoachListPage {
  coaches: CoachListItem[];
  page: number;
  hasNextPage: boolean;
}

async function readCoachList(page: number): Promise<CoachListPage> {
  const rows = await db.coachProfile.findMany({
    select: {
      id: true,
      slug: true,
      headline: true,
      timeZone: true,
      user: { select: { name: true } },
      offerings: { where: { active: true }, select: { priceMinor: true, currency: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    skip: (page - 1) * COACH_PAGE_SIZE,
    take: COACH_PAGE_SIZE + 1,
  });
  const coaches = rows.slice(0, COACH_PAGE_SIZE).map((coach) => ({
    id: coach.id,
    slug: coach.slug,
    name: coach.user.name,
    headline: coach.headline,
    timeZone: coach.timeZone,
    offeringCount: coach.offerings.length,
    fromPrices: cheapestPerCurrency(coach.offerings),
  }));
  return { coaches, page, hasNextPage: rows.length > COACH_PAGE_SIZE };
}

export function cheapestPerCurrency(offerings: { priceMinor: number; currency: string }[]): { priceMinor: number; currency: string }[] {
  const cheapest = new Map<string, number>();
  for (const { priceMinor, currency } of offerings) {
    const key = currency.trim().toLowerCase();
    const seen = cheapest.get(key);
    if (seen === undefined || priceMinor < seen) cheapest.set(key, priceMinor);
  }
  return [...cheapest].sort(([a], [b]) => a.localeCompare(b)).map(([currency, priceMinor]) => ({ currency, priceMinor }));
}

/** One page (1-based) of coaches, oldest first, from the page data cache. */
export const listCoaches = cachedPageData("coach-list", readCoachList, () => [COACH_LIST_TAG]);

export interface CoachPageData {
  id: string;
  slug: string;
  name: string;
  headline: string;
  bio: string;
  timeZone: string;
  offerings: { id: string; title: string; description: string; durationMinutes: number; priceMinor: number; currency: string }[];
}

async function readCoachBySlug(slug: string): Promise<CoachPageData | null> {
  const coach = await db.coachProfile.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      headline: true,
      bio: true,
      timeZone: true,
      user: { select: { name: true } },
      offerings: {
        where: { active: true },
        orderBy: [{ durationMinutes: "asc" }, { priceMinor: "asc" }],
        select: { id: true, title: true, description: true, durationMinutes: true, priceMinor: true, currency: true },
      },
    },
  });
  if (!coach) return null;
  return { id: coach.id, slug: coach.slug, name: coach.user.name, headline: coach.headline, bio: coach.bio, timeZone: coach.timeZone, offerings: coach.offerings };
}

/** A coach's public page data (plain JSON, so it can live in the page data cache). */
export const getCoachBySlug = cachedPageData("coach-page", readCoachBySlug, (slug) => [coachPageTag(slug)]);
