import { describe, expect, it } from "vitest";
import { formatSessionTime } from "./format";

describe("formatSessionTime", () => {
  it("shows the recipient's wall time and names the zone, across a spring-forward day", () => {
    // Berlin moves from CET (UTC+1) to CEST (UTC+2) at 01:00 UTC on 28 Mar 2027.
    expect(formatSessionTime(new Date("2027-03-28T00:30:00Z"), new Date("2027-03-28T01:30:00Z"), "Europe/Berlin")).toBe("Sun 28 Mar 2027, 01:30 CET–03:30 CEST (Europe/Berlin)");
    expect(formatSessionTime(new Date("2027-03-28T09:00:00Z"), new Date("2027-03-28T10:00:00Z"), "Europe/Berlin")).toBe("Sun 28 Mar 2027, 11:00–12:00 (Europe/Berlin, CEST)");
  });

  it("handles the fall-back day in New York and a session that crosses midnight", () => {
    // New York leaves EDT (UTC-4) for EST (UTC-5) at 06:00 UTC on 7 Nov 2027.
    expect(formatSessionTime(new Date("2027-11-07T05:30:00Z"), new Date("2027-11-07T06:30:00Z"), "America/New_York")).toBe("Sun 7 Nov 2027, 01:30 EDT–01:30 EST (America/New_York)");
    expect(formatSessionTime(new Date("2027-11-07T15:00:00Z"), new Date("2027-11-07T16:00:00Z"), "America/New_York")).toBe("Sun 7 Nov 2027, 10:00–11:00 (America/New_York, EST)");
    expect(formatSessionTime(new Date("2027-01-01T04:30:00Z"), new Date("2027-01-01T05:30:00Z"), "America/New_York")).toBe("Thu 31 Dec 2026, 23:30 – Fri 1 Jan 2027, 00:30 (America/New_York, EST)");
  });
});
