import { describe, expect, it } from "vitest";
import { minorToPrice, offeringCreateSchema, offeringUpdateSchema, priceProblem, priceToMinor } from "./offering-schemas";

const valid = { title: "Deep dive", description: "Two topics, in depth.", durationMinutes: 90, price: "120.00", currency: "EUR" };

function issues(schema: typeof offeringCreateSchema | typeof offeringUpdateSchema, input: unknown): Record<string, string> | null {
  const result = schema.safeParse(input);
  if (result.success) return null;
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join(".") || "_", issue.message]));
}

describe("offeringCreateSchema", () => {
  it("accepts a valid offering and normalises the currency", () => {
    const parsed = offeringCreateSchema.parse(valid);
    expect(parsed).toEqual({ ...valid, currency: "eur" });
    expect(priceToMinor(parsed.price, parsed.currency)).toBe(12000);
    expect(offeringCreateSchema.parse({ ...valid, description: undefined }).description).toBe("");
  });

  it("reports every bad field at its path", () => {
    expect(issues(offeringCreateSchema, { title: " x ", description: "d".repeat(1001), durationMinutes: 4, price: "abc", currency: "XYZ" })).toEqual({
      title: "Enter a title (at least 2 characters).",
      description: "Keep the description under 1000 characters.",
      durationMinutes: "A session lasts at least 5 minutes.",
      price: "Enter the price as a number, e.g. 49.90.",
      currency: "Choose one of USD, EUR, GBP, CHF, CAD, AUD, JPY, INR, SEK.",
    });
    expect(issues(offeringCreateSchema, { ...valid, durationMinutes: 481 })).toEqual({ durationMinutes: "A session lasts at most 480 minutes (8 hours)." });
    expect(issues(offeringCreateSchema, { ...valid, durationMinutes: 30.5 })).toEqual({ durationMinutes: "Use whole minutes for the length." });
    expect(issues(offeringCreateSchema, { ...valid, title: "t".repeat(101) })).toEqual({ title: "Keep the title under 100 characters." });
    expect(issues(offeringCreateSchema, { ...valid, price: "abc" })).toEqual({ price: "Enter the price as a number, e.g. 49.90." });
    expect(issues(offeringCreateSchema, { ...valid, price: "1.999", currency: "xyz" })).toEqual({ currency: "Choose one of USD, EUR, GBP, CHF, CAD, AUD, JPY, INR, SEK." });
  });

  it("rejects more decimals than the currency allows", () => {
    expect(issues(offeringCreateSchema, { ...valid, price: "120.005" })).toEqual({ price: "EUR prices have at most 2 decimals." });
    expect(issues(offeringCreateSchema, { ...valid, price: "49.9" })).toBeNull();
    expect(issues(offeringCreateSchema, { ...valid, price: "49,90" })).toBeNull();
  });

  it("treats JPY as a currency without decimals", () => {
    expect(issues(offeringCreateSchema, { ...valid, price: "5000", currency: "jpy" })).toBeNull();
    expect(issues(offeringCreateSchema, { ...valid, price: "5000.5", currency: "jpy" })).toEqual({ price: "JPY prices are whole numbers; remove the decimals." });
    expect(issues(offeringCreateSchema, { ...valid, price: "5000.00", currency: "jpy" })).toEqual({ price: "JPY prices are whole numbers; remove the decimals." });
    expect(priceToMinor("5000", "jpy")).toBe(5000);
  });

  it("rejects zero, negative and too-high prices", () => {
    expect(priceProblem("0", "usd")).toBe("The price must be more than zero.");
    expect(priceProblem("0.00", "usd")).toBe("The price must be more than zero.");
    expect(priceProblem("-5", "usd")).toBe("Enter the price as a number, e.g. 49.90.");
    expect(priceProblem("1000000", "usd")).toBe("That price is too high.");
    expect(priceProblem("999999.99", "usd")).toBeNull();
    expect(priceProblem("", "usd")).toBe("Enter a price.");
  });
});

describe("offeringUpdateSchema", () => {
  it("accepts partial updates and active alone", () => {
    expect(offeringUpdateSchema.parse({ active: false })).toEqual({ active: false });
    expect(offeringUpdateSchema.parse({ title: "  Shorter  " })).toEqual({ title: "Shorter" });
  });

  it("rejects an empty patch and bad fields", () => {
    expect(issues(offeringUpdateSchema, {})).toEqual({ _: "Nothing to change: send at least one field." });
    expect(issues(offeringUpdateSchema, { active: "no", durationMinutes: 0 })).toEqual({
      active: "Send active as true or false.",
      durationMinutes: "A session lasts at least 5 minutes.",
    });
  });

  it("checks a price against the currency sent with it, otherwise only its format", () => {
    expect(issues(offeringUpdateSchema, { price: "10.5", currency: "jpy" })).toEqual({ price: "JPY prices are whole numbers; remove the decimals." });
    // The stored currency decides the decimals; the service checks that.
    expect(issues(offeringUpdateSchema, { price: "10.555" })).toBeNull();
    expect(issues(offeringUpdateSchema, { price: "ten" })).toEqual({ price: "Enter the price as a number, e.g. 49.90." });
  });
});

describe("minorToPrice", () => {
  it("prints the decimal the edit form starts from", () => {
    expect(minorToPrice(12000, "eur")).toBe("120.00");
    expect(minorToPrice(5, "usd")).toBe("0.05");
    expect(minorToPrice(5000, "jpy")).toBe("5000");
    expect(minorToPrice(150000, "inr")).toBe("1500.00");
  });
});
