import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/**
 * A session's time for a mail, in the recipient's own zone, with the zone named both ways ("Europe/Berlin,
 * CEST"): "Sun 29 Mar 2026, 10:00–11:00 (Europe/Berlin, CEST)". @date-fns/tz gives the wall time and offset
 * for that instant (DST-correct on the day the clocks change); Intl names the abbreviation.
 */
export function formatSessionTime(startsAt: Date, endsAt: Date, timeZone: string): string {
  const start = new TZDate(startsAt, timeZone);
  const end = new TZDate(endsAt, timeZone);
  const sameDay = format(start, "yyyy-MM-dd") === format(end, "yyyy-MM-dd");
  const range = sameDay ? `${format(start, "EEE d MMM yyyy, HH:mm")}–${format(end, "HH:mm")}` : `${format(start, "EEE d MMM yyyy, HH:mm")} – ${format(end, "EEE d MMM yyyy, HH:mm")}`;
  return `${range} (${timeZone}, ${zoneAbbreviation(startsAt, timeZone)})`;
}

function zoneAbbreviation(instant: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }).formatToParts(instant).find((p) => p.type === "timeZoneName");
  return part?.value ?? format(new TZDate(instant, timeZone), "xxx");
}
