import { describe, expect, it } from "vitest";
import { OPENAPI_CORRECTIONS } from "@/lib/calcom/openapi-patches";
import { OpenApiValidator } from "./openapi-validator";

const validator = new OpenApiValidator();
const noBody = { query: new URLSearchParams(), headers: {}, body: undefined };

describe("emulator OpenAPI validator", () => {
  it("resolves operations by method + template, literal segments first", () => {
    expect(validator.resolve("GET", "/v2/schedules/default")?.template).toBe("/v2/schedules/default");
    expect(validator.resolve("GET", "/v2/schedules/12")).toMatchObject({ template: "/v2/schedules/{scheduleId}", pathParams: { scheduleId: "12" } });
    expect(validator.resolve("PUT", "/v2/schedules/12")).toBeUndefined();
    expect(validator.expectedVersion(validator.resolve("POST", "/v2/bookings/x/confirm")!)).toBe("2024-08-13");
    expect(validator.expectedVersion(validator.resolve("POST", "/v2/oauth/x/refresh")!)).toBeUndefined();
  });

  it("coerces and checks parameters, including comma-separated arrays", () => {
    const op = validator.resolve("GET", "/v2/oauth-clients/c/users")!;
    expect(validator.validateRequest(op, { ...noBody, query: new URLSearchParams("limit=5&emails=a@x.com,b@y.com") })).toEqual([]);
    expect(validator.validateRequest(op, { ...noBody, query: new URLSearchParams("limit=five") }).join()).toMatch(/limit/);
    const slots = validator.resolve("GET", "/v2/slots")!;
    expect(validator.validateRequest(slots, noBody).join()).toMatch(/start/);
  });

  it("checks bodies: required body, content type, schema", () => {
    const op = validator.resolve("POST", "/v2/schedules")!;
    const good = { name: "n", timeZone: "Europe/Berlin", isDefault: true, availability: [{ days: ["Monday"], startTime: "09:00", endTime: "17:00" }] };
    expect(validator.validateRequest(op, { ...noBody, body: good, contentType: "application/json" })).toEqual([]);
    expect(validator.validateRequest(op, noBody).join()).toMatch(/missing required JSON request body/);
    expect(validator.validateRequest(op, { ...noBody, body: good, contentType: "text/plain" }).join()).toMatch(/content-type/);
    expect(validator.validateRequest(op, { ...noBody, body: { ...good, availability: [{ days: ["Mon"], startTime: "9:00", endTime: "17:00" }] }, contentType: "application/json" }).join()).toMatch(/days|pattern/);
    const confirm = validator.resolve("POST", "/v2/bookings/u/confirm")!;
    expect(validator.validateRequest(confirm, { ...noBody, body: {}, contentType: "application/json" }).join()).toMatch(/declares no request body/);
  });

  it("accepts the real shapes behind the documented deviations", () => {
    const slots = validator.resolve("GET", "/v2/slots")!;
    expect(validator.validateResponse(slots, 200, { status: "success", data: { "2030-01-01": [{ start: "a" }, { start: "b", end: "c" }] } })).toEqual([]);
    const create = validator.resolve("POST", "/v2/oauth-clients/c/webhooks")!;
    expect(validator.validateRequest(create, { ...noBody, body: { subscriberUrl: "https://x", active: true, triggers: ["BOOKING_CREATED"] }, contentType: "application/json" })).toEqual([]);
    expect(validator.validateRequest(create, { ...noBody, body: { subscriberUrl: "https://x", active: true, triggers: "BOOKING_CREATED" }, contentType: "application/json" })).not.toEqual([]);
    const webhook = { id: 1, oAuthClientId: "c", subscriberUrl: "https://x", active: true, triggers: ["BOOKING_CREATED"], payloadTemplate: null };
    expect(validator.validateResponse(create, 201, { status: "success", data: webhook })).toEqual([]);
    expect(validator.validateResponse(validator.resolve("GET", "/v2/schedules/default"), 200, { status: "success", data: null })).toEqual([]);
  });

  it("flags undocumented statuses, wrong shapes and non-envelope errors", () => {
    const op = validator.resolve("GET", "/v2/bookings/u")!;
    expect(validator.validateResponse(op, 204, undefined).join()).toMatch(/not documented/);
    expect(validator.validateResponse(op, 200, { status: "success", data: { uid: "u" } })).not.toEqual([]);
    expect(validator.validateResponse(op, 404, { message: "nope" }).join()).toMatch(/envelope/);
  });

  it("documents every correction", () => {
    for (const correction of OPENAPI_CORRECTIONS) {
      expect(correction.reason.length).toBeGreaterThan(40);
      expect(correction.pointers.length).toBeGreaterThan(0);
    }
  });
});
