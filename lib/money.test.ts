import { describe, expect, it } from "vitest";
import { currencyExponent, formatMoney, toMinorUnits } from "./money";

describe("money", () => {
  it("knows currency exponents", () => {
    expect(currencyExponent("eur")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
  });
  it("formats minor units in the currency", () => {
    expect(formatMoney(4990, "eur")).toBe("€49.90");
    expect(formatMoney(5000, "jpy")).toBe("¥5,000");
    expect(formatMoney(12000, "usd")).toBe("$120.00");
  });
  it("parses typed amounts exactly", () => {
    expect(toMinorUnits("49.90", "eur")).toBe(4990);
    expect(toMinorUnits("0,1", "eur")).toBe(10);
    expect(toMinorUnits("19.99", "usd")).toBe(1999);
    expect(toMinorUnits("5000", "jpy")).toBe(5000);
    expect(toMinorUnits("50.5", "jpy")).toBeNull();
    expect(toMinorUnits("1.234", "eur")).toBeNull();
    expect(toMinorUnits("-5", "eur")).toBeNull();
    expect(toMinorUnits("abc", "eur")).toBeNull();
  });
});
