import { z } from "zod";

const cache = new Map<string, boolean>();

/** True for IANA zone names the runtime knows (e.g. "Europe/Berlin"); rejects offsets and abbreviations. */
export function isValidTimeZone(zone: string): boolean {
  const known = cache.get(zone);
  if (known !== undefined) return known;
  let ok = false;
  if (/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) || zone === "UTC") {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
  }
  // Only real zones are remembered: the set is bounded, whatever strings callers send.
  if (ok) cache.set(zone, ok);
  return ok;
}

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, "Choose a time zone.")
  .refine(isValidTimeZone, { message: "Unknown time zone; use an IANA name such as Europe/Berlin." });

export function supportedTimeZones(): string[] {
  const list = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return list.includes("UTC") ? list : ["UTC", ...list];
}
