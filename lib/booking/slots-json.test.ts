import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slotsJson, type SlotStarts } from "./slots";

/** The answer as the route used to send it: objects with toISOString, then JSON.stringify (the oracle). */
function viaObjects(answer: SlotStarts): string {
  const { starts, durationMs, ...rest } = answer;
  return JSON.stringify({ ...rest, slots: starts.map((s) => ({ start: new Date(s).toISOString(), end: new Date(s + durationMs).toISOString() })) });
}

describe("slotsJson", () => {
  it("writes exactly JSON.stringify of the slot objects, for any instants, durations and texts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 68_000_000 }).map((m) => m * 60_000)), { maxLength: 50 }),
        fc.integer({ min: 1, max: 24 * 60 }).map((m) => m * 60_000),
        fc.constantFrom<SlotStarts["source"]>("local", "calcom"),
        fc.option(fc.string({ unit: "binary" }), { nil: undefined }),
        fc.constantFrom("UTC", "America/New_York", "Asia/Kathmandu"),
        (starts, durationMs, source, fallbackReason, timeZone) => {
          const answer: SlotStarts = { source, ...(fallbackReason ? { fallbackReason } : {}), timeZone, starts: [...starts].sort((a, b) => a - b), durationMs };
          const json = slotsJson(answer);
          expect(json).toBe(viaObjects(answer));
          expect(JSON.parse(json)).toEqual(JSON.parse(viaObjects(answer)));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("writes an empty list and a fallback reason with quotes and line breaks", () => {
    const answer: SlotStarts = { source: "local", fallbackReason: 'Cal.com said "no"\nretry', timeZone: "UTC", starts: [], durationMs: 3_600_000 };
    expect(JSON.parse(slotsJson(answer))).toEqual({ source: "local", fallbackReason: 'Cal.com said "no"\nretry', timeZone: "UTC", slots: [] });
  });
});
