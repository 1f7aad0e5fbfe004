import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/**
 * A session's time for a mail, in the recipient's own zone, with the zone named both ways ("Europe/Berlin,
 * CEST"): "Sun 28 Mar 2027, 11:00–12:00 (Europe/Berlin, CEST)". @date-fns/tz gives the wall time for that instant
 * (DST-correct on the day the clocks change); Intl names the abbreviation. A session that spans a clock change
 * names both ("01:30 EDT–01:30 EST").
 */
export function formatSessionTime(startsAt: Date, endsAt: Date, timeZone: string): string {
  const start = new TZDate(startsAt, timeZone);
  const end = new TZDate(endsAt, timeZone);
  const startZone = zoneAbbreviation(startsAt, timeZone);
  const endZone = zoneAbbreviation(endsAt, timeZone);
  const sameDay = format(start, "yyyy-MM-dd") === format(end, "yyyy-MM-dd");
  const startText = format(start, "EEE d MMM yyyy, HH:mm");
  const endText = format(end, sameDay ? "HH:mm" : "EEE d MMM yyyy, HH:mm");
  if (startZone !== endZone) return `${startText} ${startZone}–${endText} ${endZone} (${timeZone})`;
  return `${startText}${sameDay ? "–" : " – "}${endText} (${timeZone}, ${startZone})`;
}

/** "EDT", "CEST", "JST"...: en-US names American zones, en-GB European ones; otherwise the GMT offset. */
function zoneAbbreviation(instant: Date, timeZone: string): string {
  let fallback = "";
  for (const locale of ["en-US", "en-GB"]) {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" }).formatToParts(instant).find((p) => p.type === "timeZoneName")?.value ?? "";
    if (name && !/^(GMT|UTC)[+-]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback || format(new TZDate(instant, timeZone), "xxx");
}
