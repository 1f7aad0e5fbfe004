import { describe, expect, it } from "vitest";
import { dateKeyInZone, formatInZone, formatTimeInZone } from "./format";

describe("formatting in a zone (formatters are reused)", () => {
  it("keeps zones and options apart when formatters are reused", () => {
    const instant = "2026-10-25T00:30:00.000Z"; // Europe/Berlin falls back at 01:00 UTC that day
    for (let round = 0; round < 3; round++) {
      expect(formatTimeInZone(instant, "Europe/Berlin")).toBe("02:30");
      expect(formatTimeInZone(instant, "America/New_York")).toBe("20:30");
      expect(formatTimeInZone(new Date("2026-10-25T01:30:00.000Z"), "Europe/Berlin")).toBe("02:30"); // the repeated hour
      expect(dateKeyInZone(instant, "America/New_York")).toBe("2026-10-24");
      expect(dateKeyInZone(instant, "Asia/Tokyo")).toBe("2026-10-25");
      expect(formatInZone(instant, "Europe/London")).toBe("Sun, 25 Oct 2026, 01:30");
      expect(formatInZone(instant, "Europe/London", { weekday: undefined, year: undefined })).toBe("25 Oct, 01:30");
    }
  });

  it("answers right after hundreds of zones went through the bounded cache (it was cleared and refilled)", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    for (const zone of zones) formatTimeInZone("2026-01-01T00:00:00Z", zone);
    for (const zone of zones) formatInZone("2026-01-01T00:00:00Z", zone);
    // Still correct after the cache was cleared and refilled.
    expect(formatTimeInZone("2026-01-01T12:00:00Z", "Asia/Kolkata")).toBe("17:30");
  });
});
