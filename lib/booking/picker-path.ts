/** The public slot picker for one offering, optionally with a slot and a display zone chosen (after sign-in, "try again"). */
export function bookingPickerPath(coachSlug: string, offeringId: string, start?: string, timeZone?: string): string {
  const params = new URLSearchParams({ offering: offeringId });
  if (start) params.set("start", start);
  if (timeZone) params.set("tz", timeZone);
  return `/coaches/${encodeURIComponent(coachSlug)}/book?${params}`;
}
