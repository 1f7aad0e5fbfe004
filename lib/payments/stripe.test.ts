import { describe, expect, it } from "vitest";
import { withoutCallSiteStack } from "./stripe";

describe("withoutCallSiteStack", () => {
  it("captures no frames while the call starts, and puts the limit back after it returns or throws", () => {
    const before = Error.stackTraceLimit;
    const stack = withoutCallSiteStack(() => new Error("inside").stack);
    expect(stack).toBe("Error: inside");
    expect(Error.stackTraceLimit).toBe(before);
    expect(() => withoutCallSiteStack(() => { throw new Error("boom"); })).toThrow("boom");
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("after").stack).toContain("stripe.test.ts");
  });

  it("returns what the call returns (the SDK's promise, awaited by the caller)", async () => {
    await expect(withoutCallSiteStack(() => Promise.resolve(42))).resolves.toBe(42);
  });
});
