/**
 * OffsetTimeline joins offsets sampled per zone and UTC month (cached for the process). The oracle here is Intl
 * itself (`zoneOffsetMs` at the instant, no timeline) and @date-fns/tz's own transition scan, so a month seam,
 * a transition on a month's first instant or a cache shared between zones would show up as a wrong offset.
 */
import { tzScan } from "@date-fns/tz";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS, OffsetTimeline, zoneOffsetMs } from "./tz";

const ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham", "Asia/Tehran", "Africa/Casablanca", "Europe/Dublin", "Pacific/Apia"];

describe("OffsetTimeline", () => {
  it("gives Intl's offset at every instant of random spans, across month and year seams", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: 0, max: 400 * DAY_MS }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }),
        (zone, from, length, fractions) => {
          const timeline = new OffsetTimeline(zone, from, from + length);
          for (const f of fractions) {
            const ms = from + Math.floor(f * length);
            expect(timeline.offsetAt(ms)).toBe(zoneOffsetMs(zone, ms));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("pins every real transition to the second, wherever the span starts", () => {
    for (const zone of ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "Africa/Casablanca"]) {
      // tzScan finds the changes to about the hour; every minute around each, and every second of the minute in
      // which the offset flips, must then match Intl.
      const changes = tzScan(zone, { start: new Date("2026-01-01T00:00:00Z"), end: new Date("2028-01-01T00:00:00Z") });
      expect(changes.length).toBeGreaterThan(0);
      for (const change of changes) {
        const near = change.date.getTime();
        for (const from of [near - DAY_MS, near - 31 * DAY_MS, near - 2 * 3_600_000]) {
          const timeline = new OffsetTimeline(zone, from, near + 2 * DAY_MS);
          let flips = 0;
          for (let ms = near - 2 * 3_600_000; ms < near + 2 * 3_600_000; ms += 60_000) {
            expect(timeline.offsetAt(ms)).toBe(zoneOffsetMs(zone, ms));
            if (zoneOffsetMs(zone, ms + 60_000) === zoneOffsetMs(zone, ms)) continue;
            flips++;
            for (let s = ms; s <= ms + 60_000; s += 1000) expect(timeline.offsetAt(s)).toBe(zoneOffsetMs(zone, s));
          }
          expect(flips).toBe(1);
        }
      }
    }
  });

  it("gives the same answer for spans the cache joins and spans it samples directly (over 26 months)", () => {
    const from = Date.UTC(2026, 0, 15);
    const joined = new OffsetTimeline("America/New_York", from, from + 60 * DAY_MS);
    const sampled = new OffsetTimeline("America/New_York", from, from + 1000 * DAY_MS);
    for (let ms = from; ms < from + 60 * DAY_MS; ms += 3_600_000) {
      expect(joined.offsetAt(ms)).toBe(sampled.offsetAt(ms));
      expect(joined.fromWall(ms)).toBe(sampled.fromWall(ms));
    }
  });

  it("refuses an unknown zone every time (a failed sample is not cached)", () => {
    expect(() => new OffsetTimeline("Mars/Olympus_Mons", Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1))).toThrow(RangeError);
    expect(() => new OffsetTimeline("Mars/Olympus_Mons", Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1))).toThrow(RangeError);
  });
});
