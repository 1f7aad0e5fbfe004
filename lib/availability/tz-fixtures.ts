/**
 * A fixed battery of inputs around DST changes, used to check that results do not depend on the host's zone
 * (process.env.TZ). Running this file prints the battery's results as JSON (the test runs it in child
 * processes with different TZ values): `TZ=Asia/Kolkata npx tsx lib/availability/tz-fixtures.ts`.
 */
import { pathToFileURL } from "node:url";
import { getAvailableSlots, isSlotBookable } from "./slots";
import type { AvailabilityInput } from "./types";

const ZONES = ["America/New_York", "Europe/Berlin", "Australia/Adelaide", "Asia/Kolkata", "Australia/Lord_Howe", "America/Santiago"];

export function fixtureInputs(): AvailabilityInput[] {
  const inputs: AvailabilityInput[] = [];
  const windows = [
    ["2026-03-05T00:00:00Z", "2026-03-12T00:00:00Z"],
    ["2026-03-26T00:00:00Z", "2026-04-08T00:00:00Z"],
    ["2026-09-03T00:00:00Z", "2026-09-09T00:00:00Z"],
    ["2026-10-01T00:00:00Z", "2026-10-07T00:00:00Z"],
    ["2026-10-22T00:00:00Z", "2026-11-04T00:00:00Z"],
  ];
  for (const timeZone of ZONES) {
    for (const [from, to] of windows) {
      inputs.push({
        timeZone,
        weeklyRules: [0, 1, 2, 3, 4, 5, 6].flatMap((weekday) => [
          { weekday, startMinute: 0, endMinute: 4 * 60 },
          { weekday, startMinute: 13 * 60, endMinute: 17 * 60 },
          { weekday, startMinute: 22 * 60, endMinute: 1440 },
        ]),
        dateOverrides: [{ date: "2026-10-04", startMinute: 90, endMinute: 200 }],
        durationMinutes: 45,
        slotIntervalMinutes: 30,
        bufferBeforeMinutes: 5,
        bufferAfterMinutes: 10,
        minimumNoticeMinutes: 0,
        bookingHorizonDays: 400,
        busy: [{ start: new Date("2026-03-08T07:10:00Z"), end: new Date("2026-03-08T07:40:00Z") }],
        from: new Date(from),
        to: new Date(to),
        now: new Date("2026-01-01T00:00:00Z"),
      });
    }
  }
  return inputs;
}

/** Every slot start and end of the battery as ISO strings, plus a few isSlotBookable answers. */
export function fixtureResults(): string[][] {
  return fixtureInputs().map((input) => {
    const slots = getAvailableSlots(input).map((s) => `${s.start.toISOString()}/${s.end.toISOString()}`);
    const probe = new Date(input.from.getTime() + 3 * 86_400_000 + 13 * 3_600_000);
    return [...slots, `probe ${probe.toISOString()} ${isSlotBookable(input, probe)}`];
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(JSON.stringify(fixtureResults()));
}
