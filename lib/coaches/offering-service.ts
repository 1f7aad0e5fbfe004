import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Offering } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { formatMoney } from "@/lib/money";
import { onOfferingSaved } from "./hooks";
import { revalidateCoachPagesById } from "./page-cache";
import { minorToPrice, priceProblem, priceToMinor, type Currency, type OfferingCreateInput, type OfferingUpdateInput } from "./offering-schemas";

/** An offering as the coach's pages and API show it. */
export interface OfferingView {
  id: string;
  title: string;
  description: string;
  durationMinutes: number;
  priceMinor: number;
  currency: Currency;
  /** The decimal the edit form starts from ("120.00"). */
  price: string;
  /** Formatted in its currency ("€120.00"). */
  priceFormatted: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toOfferingView(offering: Offering): OfferingView {
  const currency = offering.currency.trim().toLowerCase() as Currency;
  return {
    id: offering.id,
    title: offering.title,
    description: offering.description,
    durationMinutes: offering.durationMinutes,
    priceMinor: offering.priceMinor,
    currency,
    price: minorToPrice(offering.priceMinor, currency),
    priceFormatted: formatMoney(offering.priceMinor, currency),
    active: offering.active,
    createdAt: offering.createdAt.toISOString(),
    updatedAt: offering.updatedAt.toISOString(),
  };
}

/** The caller's coach profile id; a user without one has nothing to manage (404). */
export async function coachIdForUser(userId: string): Promise<string> {
  const coach = await db.coachProfile.findUnique({ where: { userId }, select: { id: true } });
  if (!coach) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  return coach.id;
}

/** The offering if it belongs to the coach; otherwise 404, whether it exists or not (no existence leak). */
async function ownedOffering(coachId: string, offeringId: string): Promise<Offering> {
  const offering = await db.offering.findFirst({ where: { id: offeringId, coachId } });
  if (!offering) throw new AppError("NOT_FOUND", "Offering not found.");
  return offering;
}

async function notifySaved(offeringId: string) {
  try {
    await onOfferingSaved(offeringId);
  } catch (error) {
    log.warn("onOfferingSaved hook failed", { offeringId, error });
  }
}

function validationFailure(field: string, message: string): AppError {
  return new AppError("VALIDATION", `${field}: ${message}`, { fields: { [field]: message } });
}

/** All of the coach's offerings, inactive ones included: active first, then oldest first. */
export async function listOfferings(userId: string): Promise<OfferingView[]> {
  const coachId = await coachIdForUser(userId);
  const offerings = await db.offering.findMany({ where: { coachId }, orderBy: [{ active: "desc" }, { createdAt: "asc" }, { id: "asc" }] });
  return offerings.map(toOfferingView);
}

export async function createOffering(userId: string, input: OfferingCreateInput): Promise<OfferingView> {
  const coachId = await coachIdForUser(userId);
  const offering = await db.offering.create({
    data: {
      coachId,
      title: input.title,
      description: input.description,
      durationMinutes: input.durationMinutes,
      priceMinor: priceToMinor(input.price, input.currency),
      currency: input.currency,
    },
  });
  await revalidateCoachPagesById(coachId);
  await notifySaved(offering.id);
  return toOfferingView(offering);
}

/**
 * Applies a partial update (any of title, description, length, price, currency, active). A new currency needs
 * a price in that currency; a price alone is read in the offering's current currency.
 */
export async function updateOffering(userId: string, offeringId: string, patch: OfferingUpdateInput): Promise<OfferingView> {
  const coachId = await coachIdForUser(userId);
  const existing = await ownedOffering(coachId, offeringId);
  const currentCurrency = existing.currency.trim().toLowerCase();
  const currency = patch.currency ?? currentCurrency;
  let priceMinor: number | undefined;
  if (patch.price !== undefined) {
    const problem = priceProblem(patch.price, currency);
    if (problem) throw validationFailure("price", problem);
    priceMinor = priceToMinor(patch.price, currency);
  } else if (currency !== currentCurrency) {
    throw validationFailure("price", `Enter the price in ${currency.toUpperCase()} when changing the currency.`);
  }
  const offering = await db.offering.update({
    where: { id: existing.id },
    data: {
      title: patch.title,
      description: patch.description,
      durationMinutes: patch.durationMinutes,
      priceMinor,
      currency: patch.currency,
      active: patch.active,
    },
  });
  await revalidateCoachPagesById(coachId);
  await notifySaved(offering.id);
  return toOfferingView(offering);
}
