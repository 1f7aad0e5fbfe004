/**
 * `cal-api-version` per endpoint family (CONTRACT.md §1). A missing or unknown value makes Cal.com fall back to
 * 2024-04-15 handlers (older shapes or no route at all), so every versioned call must send its family's value,
 * and unversioned families must not depend on one.
 */
export const CAL_API_VERSIONS = {
  bookings: "2024-08-13",
  eventTypes: "2024-06-14",
  schedules: "2024-06-11",
  slots: "2024-09-04",
} as const;

/** What the server uses when the header is missing or unknown. */
export const FALLBACK_API_VERSION = "2024-04-15";

export type VersionedFamily = keyof typeof CAL_API_VERSIONS;
export type UnversionedFamily = "managedUsers" | "oauth" | "oauthClientWebhooks" | "webhooks" | "eventTypeWebhooks" | "me";
export type EndpointFamily = VersionedFamily | UnversionedFamily;

/** Family of a request path such as `/v2/bookings/abc/confirm` (query string ignored). */
export function endpointFamily(path: string): EndpointFamily | undefined {
  const clean = path.split("?")[0].replace(/\/+$/, "");
  if (/^\/v2\/bookings(\/|$)/.test(clean)) return "bookings";
  if (/^\/v2\/event-types\/[^/]+\/webhooks(\/|$)/.test(clean)) return "eventTypeWebhooks";
  if (/^\/v2\/event-types(\/|$)/.test(clean)) return "eventTypes";
  if (/^\/v2\/schedules(\/|$)/.test(clean)) return "schedules";
  if (/^\/v2\/slots(\/|$)/.test(clean)) return "slots";
  if (/^\/v2\/oauth-clients\/[^/]+\/webhooks(\/|$)/.test(clean)) return "oauthClientWebhooks";
  if (/^\/v2\/oauth-clients\/[^/]+\/users(\/|$)/.test(clean)) return "managedUsers";
  if (/^\/v2\/oauth\//.test(clean)) return "oauth";
  if (/^\/v2\/webhooks(\/|$)/.test(clean)) return "webhooks";
  if (/^\/v2\/me$/.test(clean)) return "me";
  return undefined;
}

/** The `cal-api-version` value to send for a path, or undefined for unversioned families. */
export function apiVersionFor(path: string): string | undefined {
  const family = endpointFamily(path);
  if (family === undefined) throw new Error(`No Cal.com endpoint family for ${path}`);
  return family in CAL_API_VERSIONS ? CAL_API_VERSIONS[family as VersionedFamily] : undefined;
}
