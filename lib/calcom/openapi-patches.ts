/**
 * Corrections applied to Cal.com's official OpenAPI document (lib/calcom/openapi-v2.json, an unmodified copy of
 * upstream docs/api-reference/v2/openapi.json) before it is used, both by the type generator
 * (scripts/calcom-types.ts → lib/calcom/openapi.d.ts) and by the emulator's ajv validator. The list is the
 * allow-list of *known* deviations between the document and the real API: every entry names the exact place in
 * the document and why. Anything else that does not match the document is reported as a violation.
 *
 * Two kinds:
 * - "normalisation": the document is not usable as written (a regex that is a constant's name, an enum on the
 *   wrong type). These are found by a walk, so they also cover schemas this app does not use.
 * - "deviation": the document describes a shape the server does not send (confirmed in CONTRACT.md or the
 *   upstream source). These are pinned to JSON pointers; a pointer that no longer exists throws, so a newer
 *   document cannot silently drop a correction.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface OpenApiCorrection {
  id: string;
  kind: "normalisation" | "deviation";
  /** JSON pointer(s) into the document, or "*" for walk-based normalisations. */
  pointers: readonly string[];
  reason: string;
}

const HH_MM = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
const WEBHOOK_TRIGGERS = [
  "BOOKING_CREATED",
  "BOOKING_PAYMENT_INITIATED",
  "BOOKING_PAID",
  "BOOKING_RESCHEDULED",
  "BOOKING_REQUESTED",
  "BOOKING_CANCELLED",
  "BOOKING_REJECTED",
  "BOOKING_NO_SHOW_UPDATED",
  "FORM_SUBMITTED",
  "MEETING_ENDED",
  "MEETING_STARTED",
  "RECORDING_READY",
  "INSTANT_MEETING",
  "RECORDING_TRANSCRIPTION_GENERATED",
  "OOO_CREATED",
  "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
  "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
  "FORM_SUBMITTED_NO_EVENT",
] as const;

const SLOTS_RESPONSE = "/paths/~1v2~1slots/get/responses/200/content/application~1json/schema";
const CREATE_BOOKING_BODY = "/paths/~1v2~1bookings/post/requestBody/content/application~1json/schema";
const WEBHOOK_INPUTS = ["CreateWebhookInputDto", "UpdateWebhookInputDto"];
const WEBHOOK_OUTPUTS = ["OAuthClientWebhookOutputDto", "UserWebhookOutputDto", "EventTypeWebhookOutputDto"];
const schemaPtr = (name: string, ...rest: string[]) => ["/components/schemas", name, ...rest].join("/");

interface Deviation extends OpenApiCorrection {
  apply(doc: JsonObject): void;
}

const DEVIATIONS: Deviation[] = [
  {
    id: "slots-response-shape",
    kind: "deviation",
    pointers: [SLOTS_RESPONSE],
    reason:
      "GET /v2/slots (2024-09-04): the schema describes only `data` (not the {status,data} envelope) and types the " +
      "format=time items as strings. The document's own example and slots-output.service.ts return objects " +
      "({start} or {start,end}, seated slots add attendeesCount and bookingUid). CONTRACT.md §5.",
    apply(doc) {
      const slot: JsonObject = {
        type: "object",
        properties: {
          start: { type: "string" },
          end: { type: "string" },
          attendeesCount: { type: "number" },
          bookingUid: { type: "string" },
        },
        required: ["start"],
      };
      set(doc, SLOTS_RESPONSE, {
        type: "object",
        properties: {
          status: { type: "string", enum: ["success"] },
          data: { type: "object", additionalProperties: { type: "array", items: slot } },
        },
        required: ["status", "data"],
      });
    },
  },
  {
    id: "webhook-input-triggers-array",
    kind: "deviation",
    pointers: WEBHOOK_INPUTS.map((name) => schemaPtr(name, "properties/triggers")),
    reason:
      "Create/UpdateWebhookInputDto.triggers is typed as one string; the DTO validates an array of " +
      "WebhookTriggerEvents (CONTRACT.md §8).",
    apply(doc) {
      for (const name of WEBHOOK_INPUTS) {
        set(doc, schemaPtr(name, "properties/triggers"), { type: "array", items: { type: "string", enum: [...WEBHOOK_TRIGGERS] } });
      }
    },
  },
  {
    id: "webhook-output-triggers-and-template",
    kind: "deviation",
    pointers: WEBHOOK_OUTPUTS.flatMap((name) => [schemaPtr(name, "properties/triggers"), schemaPtr(name, "properties/payloadTemplate")]),
    reason:
      "Webhook outputs: `triggers` items are trigger-name strings, not objects; `payloadTemplate` is null when " +
      "the webhook was created without one (the column is nullable and passed through), although the document " +
      "marks it as a required string.",
    apply(doc) {
      for (const name of WEBHOOK_OUTPUTS) {
        set(doc, schemaPtr(name, "properties/triggers"), { type: "array", items: { type: "string" } });
        set(doc, schemaPtr(name, "properties/payloadTemplate"), { type: "string", nullable: true });
      }
    },
  },
  {
    id: "event-type-output-types",
    kind: "deviation",
    pointers: [schemaPtr("EventTypeOutput_2024_06_14", "properties/slotInterval"), schemaPtr("EventTypeOutput_2024_06_14", "properties/users")],
    reason:
      "EventTypeOutput_2024_06_14: `slotInterval` is a number of minutes (or null), typed as object; `users` " +
      "holds user objects ({id, name, username, avatarUrl, weekStart, brandColor, darkBrandColor, metadata}), " +
      "typed as string[].",
    apply(doc) {
      set(doc, schemaPtr("EventTypeOutput_2024_06_14", "properties/slotInterval"), { type: "number", nullable: true });
      set(doc, schemaPtr("EventTypeOutput_2024_06_14", "properties/users"), {
        type: "array",
        items: {
          type: "object",
          properties: { id: { type: "number" }, name: { type: "string", nullable: true }, username: { type: "string", nullable: true } },
          required: ["id"],
        },
      });
    },
  },
  {
    id: "default-schedule-nullable",
    kind: "deviation",
    pointers: [schemaPtr("GetDefaultScheduleOutput_2024_06_11", "properties/data")],
    reason:
      "GET /v2/schedules/default answers `data: null` when the user has no default schedule " +
      "(schedules_2024_06_11 service getUserScheduleDefault returns null); the document marks data as required " +
      "and non-null. Managed users created without timeZone are in exactly that state (CONTRACT.md §2).",
    apply(doc) {
      set(doc, schemaPtr("GetDefaultScheduleOutput_2024_06_11", "properties/data"), {
        nullable: true,
        allOf: [{ $ref: "#/components/schemas/ScheduleOutput_2024_06_11" }],
      });
    },
  },
  {
    id: "create-booking-body-union",
    kind: "deviation",
    pointers: [CREATE_BOOKING_BODY],
    reason:
      "POST /v2/bookings body is a oneOf of CreateBookingInput, CreateInstantBookingInput and " +
      "CreateRecurringBookingInput, but the DTOs are not disjoint (no additionalProperties:false; the recurring " +
      "one only adds an optional recurrenceCount), so every regular body matches two branches and oneOf " +
      "rejects it. The server picks the DTO by the presence of `instant`/`recurrenceCount`; validated as anyOf.",
    apply(doc) {
      const node = get(doc, CREATE_BOOKING_BODY) as JsonObject;
      node.anyOf = node.oneOf;
      delete node.oneOf;
    },
  },
];

const NORMALISATIONS: OpenApiCorrection[] = [
  {
    id: "time-format-pattern",
    kind: "normalisation",
    pointers: ["*"],
    reason:
      'Schedule times carry `pattern: "TIME_FORMAT_HH_MM"`: the Swagger generator emitted the name of the ' +
      "server's regex constant instead of the regex. Replaced by the 24 h HH:MM regex the constant holds.",
  },
  {
    id: "enum-on-wrong-type",
    kind: "normalisation",
    pointers: ["*"],
    reason:
      "Some enums sit on the wrong type: `type: array` with a string enum (ScheduleAvailabilityInput days; the " +
      'items already carry the enum) and `type: "object"` with a string enum or a single nested array of strings ' +
      "(workflow DTOs). As written no value can match and openapi-typescript aborts; the enum is moved to a " +
      "string type.",
  },
  {
    id: "type-discriminator-constants",
    kind: "normalisation",
    pointers: ["*"],
    reason:
      "Location and booking-field unions (oneOf) tell their branches apart by a `type` property that is a plain " +
      "string whose only allowed value is written in the description (\"only allowed value for type is `link`\"). " +
      "Without the constant several branches match (e.g. {type:\"integration\", integration:\"cal-video\"} also " +
      "matches the organizersDefaultApp branch) and oneOf fails for valid data; the constant becomes an enum.",
  },
];

export const OPENAPI_CORRECTIONS: readonly OpenApiCorrection[] = [
  ...NORMALISATIONS,
  ...DEVIATIONS.map(({ id, kind, pointers, reason }) => ({ id, kind, pointers, reason })),
];

/** Returns a corrected deep copy of the document; the input is not modified. */
export function patchOpenApiDocument<T>(original: T): T {
  const doc = structuredClone(original) as unknown as JsonObject;
  for (const deviation of DEVIATIONS) {
    for (const pointer of deviation.pointers) {
      if (get(doc, pointer) === undefined) {
        throw new Error(`OpenAPI correction "${deviation.id}" is stale: ${pointer} does not exist in this document`);
      }
    }
    deviation.apply(doc);
  }
  normalise(doc);
  return doc as unknown as T;
}

function normalise(node: Json): void {
  if (Array.isArray(node)) {
    for (const item of node) normalise(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  if (node.pattern === "TIME_FORMAT_HH_MM") node.pattern = HH_MM;
  if (Array.isArray(node.enum)) {
    if (node.type === "array" && node.enum.every((value) => typeof value === "string")) {
      delete node.enum;
    } else if (node.type === "object") {
      const values = node.enum.length === 1 && Array.isArray(node.enum[0]) ? node.enum[0] : node.enum;
      if (values.every((value) => typeof value === "string")) {
        node.type = "string";
        node.enum = values;
      }
    }
  }
  const typeProperty = (node.properties as JsonObject | undefined)?.type;
  if (typeProperty && typeof typeProperty === "object" && !Array.isArray(typeProperty) && typeProperty.type === "string" && !typeProperty.enum) {
    const constant = /allowed value for type is `([^`]+)`/i.exec(String(typeProperty.description ?? ""));
    if (constant) typeProperty.enum = [constant[1]];
  }
  for (const value of Object.values(node)) normalise(value);
}

function decode(segment: string) {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function segments(pointer: string): string[] {
  return pointer.split("/").slice(1).map(decode);
}

export function get(doc: Json, pointer: string): Json | undefined {
  let node: Json | undefined = doc;
  for (const key of segments(pointer)) {
    if (!node || typeof node !== "object") return undefined;
    node = Array.isArray(node) ? node[Number(key)] : node[key];
  }
  return node;
}

function set(doc: JsonObject, pointer: string, value: Json) {
  const keys = segments(pointer);
  const last = keys.pop()!;
  const parent = get(doc, "/" + keys.map((key) => key.replace(/~/g, "~0").replace(/\//g, "~1")).join("/"));
  if (!parent || typeof parent !== "object" || Array.isArray(parent)) throw new Error(`Cannot set ${pointer}`);
  parent[last] = value;
}
