import { describe, expect, it } from "vitest";
import { cheapestPerCurrency } from "./queries";

describe("cheapestPerCurrency", () => {
  it("keeps the cheapest price of each currency and never compares amounts across currencies", () => {
    expect(
      cheapestPerCurrency([
        { priceMinor: 9000, currency: "usd" },
        { priceMinor: 150_000, currency: "jpy" },
        { priceMinor: 5000, currency: "EUR" },
        { priceMinor: 4000, currency: "eur" },
        { priceMinor: 12000, currency: "usd" },
      ]),
    ).toEqual([
      { currency: "eur", priceMinor: 4000 },
      { currency: "jpy", priceMinor: 150_000 },
      { currency: "usd", priceMinor: 9000 },
    ]);
    expect(cheapestPerCurrency([])).toEqual([]);
  });
});
