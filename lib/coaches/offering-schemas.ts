import { z } from "zod";
import { currencyExponent, SUPPORTED_CURRENCIES, toMinorUnits } from "@/lib/money";

/**
 * Offerings as the coach's form sends them. The price is the decimal the person typed ("120.00", "49,90",
 * "5000" for JPY); it is checked against the currency's number of decimals and converted to minor units
 * with `toMinorUnits` (never through floating point).
 */

export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 480;
/** Keeps every stored price inside a PostgreSQL integer, whatever the currency. */
export const MAX_PRICE_MINOR = 99_999_999;

export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

export const currencySchema = z
  .string({ error: "Choose a currency." })
  .trim()
  .toLowerCase()
  .refine((value): value is Currency => (SUPPORTED_CURRENCIES as readonly string[]).includes(value), {
    message: `Choose one of ${SUPPORTED_CURRENCIES.map((c) => c.toUpperCase()).join(", ")}.`,
  })
  .transform((value) => value as Currency);

/** Why `price` is not a decimal number at all, or null when it is one (any number of decimals). */
export function priceFormatProblem(price: string): string | null {
  const trimmed = price.trim();
  if (trimmed === "") return "Enter a price.";
  if (!/^\d+(?:[.,]\d+)?$/.test(trimmed)) return "Enter the price as a number, e.g. 49.90.";
  return null;
}

/** Why `price` is not a valid amount in `currency`, or null when it is. */
export function priceProblem(price: string, currency: string): string | null {
  const formatProblem = priceFormatProblem(price);
  if (formatProblem) return formatProblem;
  const trimmed = price.trim();
  const decimals = currencyExponent(currency);
  const fraction = /[.,](\d+)$/.exec(trimmed)?.[1] ?? "";
  if (fraction.length > decimals) {
    return decimals === 0
      ? `${currency.toUpperCase()} prices are whole numbers; remove the decimals.`
      : `${currency.toUpperCase()} prices have at most ${decimals} decimal${decimals === 1 ? "" : "s"}.`;
  }
  const minor = toMinorUnits(trimmed, currency);
  if (minor === null || minor > MAX_PRICE_MINOR) return "That price is too high.";
  if (minor <= 0) return "The price must be more than zero.";
  return null;
}

/** The typed price in minor units of `currency`; call only after `priceProblem` returned null. */
export function priceToMinor(price: string, currency: string): number {
  const minor = toMinorUnits(price.trim(), currency);
  if (minor === null) throw new RangeError(`Invalid price ${JSON.stringify(price)} for ${currency}`);
  return minor;
}

/** Minor units → the decimal the form shows for editing ("120.00", "5000"), without a currency sign. */
export function minorToPrice(minor: number, currency: string): string {
  const decimals = currencyExponent(currency);
  if (decimals === 0) return String(minor);
  const factor = 10 ** decimals;
  return `${Math.floor(minor / factor)}.${String(minor % factor).padStart(decimals, "0")}`;
}

const title = z
  .string({ error: "Enter a title." })
  .trim()
  .min(2, "Enter a title (at least 2 characters).")
  .max(100, "Keep the title under 100 characters.");
const description = z.string({ error: "Enter a description." }).trim().max(1000, "Keep the description under 1000 characters.");
const durationMinutes = z
  .number({ error: "Enter the length in minutes." })
  .int("Use whole minutes for the length.")
  .min(MIN_DURATION_MINUTES, `A session lasts at least ${MIN_DURATION_MINUTES} minutes.`)
  .max(MAX_DURATION_MINUTES, `A session lasts at most ${MAX_DURATION_MINUTES} minutes (8 hours).`);
const price = z.string({ error: "Enter a price." }).trim();

export const offeringCreateSchema = z
  .object({ title, description: description.default(""), durationMinutes, price, currency: currencySchema })
  .superRefine((offering, ctx) => {
    // With an unsupported currency (already reported) only the price's format can be checked.
    const known = (SUPPORTED_CURRENCIES as readonly string[]).includes(offering.currency);
    const problem = known ? priceProblem(offering.price, offering.currency) : priceFormatProblem(offering.price);
    if (problem) ctx.addIssue({ code: "custom", path: ["price"], message: problem });
  });

/**
 * A partial update. Without `currency` the price's decimals can only be checked against the stored
 * offering, which the service does; with it, they are checked here.
 */
export const offeringUpdateSchema = z
  .object({
    title: title.optional(),
    description: description.optional(),
    durationMinutes: durationMinutes.optional(),
    price: price.optional(),
    currency: currencySchema.optional(),
    active: z.boolean({ error: "Send active as true or false." }).optional(),
  })
  .superRefine((patch, ctx) => {
    if (Object.values(patch).every((value) => value === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: "Nothing to change: send at least one field." });
      return;
    }
    if (patch.price !== undefined) {
      // Without a currency only the format can be checked here; the service checks the stored currency.
      const currency = patch.currency !== undefined && (SUPPORTED_CURRENCIES as readonly string[]).includes(patch.currency) ? patch.currency : null;
      const problem = currency ? priceProblem(patch.price, currency) : priceFormatProblem(patch.price);
      if (problem) ctx.addIssue({ code: "custom", path: ["price"], message: problem });
    }
  });

export type OfferingCreateInput = z.infer<typeof offeringCreateSchema>;
export type OfferingUpdateInput = z.infer<typeof offeringUpdateSchema>;
