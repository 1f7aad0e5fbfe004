import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiVersionFor, CAL_API_VERSIONS, endpointFamily } from "./versions";

describe("cal-api-version mapping", () => {
  it.each([
    ["/v2/bookings", "2024-08-13"],
    ["/v2/bookings/abc", "2024-08-13"],
    ["/v2/bookings/abc/confirm", "2024-08-13"],
    ["/v2/bookings/abc/reschedule?x=1", "2024-08-13"],
    ["/v2/event-types", "2024-06-14"],
    ["/v2/event-types/12", "2024-06-14"],
    ["/v2/schedules", "2024-06-11"],
    ["/v2/schedules/default", "2024-06-11"],
    ["/v2/schedules/4", "2024-06-11"],
    ["/v2/slots", "2024-09-04"],
    ["/v2/slots/reservations/uid", "2024-09-04"],
  ])("%s → %s", (p, version) => {
    expect(apiVersionFor(p)).toBe(version);
  });

  it.each([
    "/v2/oauth-clients/cid/users",
    "/v2/oauth-clients/cid/users/1",
    "/v2/oauth-clients/cid/users/1/force-refresh",
    "/v2/oauth/cid/refresh",
    "/v2/oauth-clients/cid/webhooks",
    "/v2/oauth-clients/cid/webhooks/3",
    "/v2/webhooks",
    "/v2/webhooks/3",
    "/v2/event-types/12/webhooks",
    "/v2/me",
  ])("%s is unversioned", (p) => {
    expect(endpointFamily(p)).toBeDefined();
    expect(apiVersionFor(p)).toBeUndefined();
  });

  it("throws for paths outside the known families", () => {
    expect(() => apiVersionFor("/v2/teams")).toThrow();
  });

  it("agrees with the cal-api-version defaults the OpenAPI document declares for every operation the client uses", () => {
    const doc = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "openapi-v2.json"), "utf8"));
    const used = [
      "/v2/oauth-clients/{clientId}/users",
      "/v2/oauth-clients/{clientId}/users/{userId}",
      "/v2/oauth-clients/{clientId}/users/{userId}/force-refresh",
      "/v2/oauth/{clientId}/refresh",
      "/v2/oauth-clients/{clientId}/webhooks",
      "/v2/oauth-clients/{clientId}/webhooks/{webhookId}",
      "/v2/webhooks",
      "/v2/webhooks/{webhookId}",
      "/v2/schedules",
      "/v2/schedules/default",
      "/v2/schedules/{scheduleId}",
      "/v2/event-types",
      "/v2/event-types/{eventTypeId}",
      "/v2/slots",
      "/v2/bookings",
      "/v2/bookings/{bookingUid}",
      "/v2/bookings/{bookingUid}/confirm",
      "/v2/bookings/{bookingUid}/decline",
      "/v2/bookings/{bookingUid}/cancel",
      "/v2/bookings/{bookingUid}/reschedule",
    ];
    for (const p of used) {
      const item = doc.paths[p] as Record<string, { parameters?: { name: string; in: string; schema?: { default?: string } }[] }>;
      expect(item, p).toBeDefined();
      for (const op of Object.values(item)) {
        const header = op.parameters?.find((param) => param.in === "header" && param.name === "cal-api-version");
        expect(apiVersionFor(p), p).toBe(header?.schema?.default);
      }
    }
    expect(Object.values(CAL_API_VERSIONS)).toHaveLength(4);
  });
});
