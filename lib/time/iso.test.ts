import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoFromEpochMs } from "./iso";

describe("isoFromEpochMs", () => {
  it("writes exactly what Date#toISOString writes", () => {
    fc.assert(fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => isoFromEpochMs(ms) === new Date(ms).toISOString()), { numRuns: 20_000 });
  });

  it("handles day edges, sorted runs and instants outside years 0-9999", () => {
    const day = Date.UTC(2026, 9, 25);
    for (const ms of [day - 1, day, day + 1, day + 86_399_999, 0, -1, 951_782_400_000 /* 2000-02-29 */]) expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
    expect(isoFromEpochMs(8.64e15)).toBe(new Date(8.64e15).toISOString());
    expect(isoFromEpochMs(-62_167_219_200_001)).toBe(new Date(-62_167_219_200_001).toISOString());
  });
});
