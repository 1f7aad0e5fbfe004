import { describe, expect, it } from "vitest";
import { paginate } from "./expand";
import { currencyDigits, formatAmount, isKnownCurrency, minimumChargeAmount } from "./money";
import { shuffleDifferent } from "./webhooks";

describe("money", () => {
  it("formats minor units per currency exponent", () => {
    expect(formatAmount(4500, "eur")).toBe("€45.00");
    expect(formatAmount(5, "usd")).toBe("$0.05");
    expect(formatAmount(5000, "jpy")).toBe("¥5,000");
    expect(formatAmount(1230, "kwd")).toMatch(/1\.230/);
    expect(currencyDigits("krw")).toBe(0);
  });

  it("knows currencies and minimum charges", () => {
    expect(isKnownCurrency("eur")).toBe(true);
    expect(isKnownCurrency("EUR")).toBe(false);
    expect(isKnownCurrency("xyz")).toBe(false);
    expect(minimumChargeAmount("gbp")).toBe(30);
    expect(minimumChargeAmount("eur")).toBe(50);
  });
});

describe("paginate", () => {
  const items = ["e", "d", "c", "b", "a"].map((id) => ({ id }));
  it("pages newest-first with starting_after / ending_before", () => {
    expect(paginate(items, { limit: 2 }, "/v1/x")).toMatchObject({ object: "list", data: [{ id: "e" }, { id: "d" }], has_more: true, url: "/v1/x" });
    expect(paginate(items, { limit: 2, startingAfter: "d" }, "/v1/x").data.map((x) => x.id)).toEqual(["c", "b"]);
    expect(paginate(items, { limit: 10, startingAfter: "b" }, "/v1/x")).toMatchObject({ data: [{ id: "a" }], has_more: false });
    expect(paginate(items, { limit: 2, endingBefore: "b" }, "/v1/x")).toMatchObject({ data: [{ id: "d" }, { id: "c" }], has_more: true });
  });
});

describe("shuffleDifferent", () => {
  it("never returns the original order for two or more items", () => {
    for (let i = 0; i < 50; i++) {
      const input = [1, 2, 3];
      const out = shuffleDifferent(input);
      expect(out).not.toEqual(input);
      expect([...out].sort()).toEqual(input);
    }
    expect(shuffleDifferent([1])).toEqual([1]);
  });
});
