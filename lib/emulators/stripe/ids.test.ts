import { describe, expect, it } from "vitest";
import { newId, randomToken } from "./ids";

describe("emulator ids", () => {
  it("are Stripe-shaped and distinct across many refills of the random pool", () => {
    const ids = Array.from({ length: 2_000 }, () => newId("cs_test", 58)); // 116 KB of random bytes: 28 pool refills
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^cs_test_[0-9A-Za-z]{58}$/);
  });

  it("serve a request longer than the pool", () => {
    expect(randomToken(5_000)).toMatch(/^[0-9A-Za-z]{5000}$/);
  });
});
