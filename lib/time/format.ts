/**
 * Formatting of UTC instants in a person's IANA zone (server or client). Building an Intl.DateTimeFormat costs
 * about a hundred times more than using one (it loads the zone and locale data), and the same few zone/option
 * combinations come back on every request, so formatters are kept, bounded, per locale, zone and options.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 500;

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    // Zones come from validated input, but the cache must stay bounded whatever callers pass.
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, found);
  }
  return found;
}

const toDate = (instant: Date | string) => (typeof instant === "string" ? new Date(instant) : instant);

export function formatInZone(instant: Date | string, timeZone: string, options: Intl.DateTimeFormatOptions = {}): string {
  return formatter("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...options,
  }).format(toDate(instant));
}

export function formatTimeInZone(instant: Date | string, timeZone: string): string {
  return formatter("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(toDate(instant));
}

/** "YYYY-MM-DD" of an instant in a zone. */
export function dateKeyInZone(instant: Date | string, timeZone: string): string {
  const parts = formatter("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(toDate(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
