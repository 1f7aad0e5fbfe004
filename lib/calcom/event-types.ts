import { type CalcomContext, enc, type Scope } from "./context";
import type { components } from "./openapi";
import { type CalcomEventType, deletedEventTypeSchema, eventTypeSchema } from "./schemas";

/**
 * Event types (coach access token; cal-api-version 2024-06-14). For paid offerings use
 * `confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: true }` and
 * `bookingRequiresAuthentication: true` (CONTRACT.md §4, §9). Prices are not part of the input.
 */
export type CreateEventTypeInput = components["schemas"]["CreateEventTypeInput_2024_06_14"];
export type UpdateEventTypeInput = components["schemas"]["UpdateEventTypeInput_2024_06_14"];

export function eventTypesApi(ctx: CalcomContext, scope: Scope) {
  const path = (id: number) => `/v2/event-types/${enc(String(id))}`;
  const template = "/v2/event-types/{eventTypeId}";
  return {
    /** POST /v2/event-types */
    create(input: CreateEventTypeInput): Promise<CalcomEventType> {
      return ctx.send(scope, { method: "POST", path: "/v2/event-types", template: "/v2/event-types", body: input, data: eventTypeSchema });
    },
    /** GET /v2/event-types/{eventTypeId} */
    get(eventTypeId: number): Promise<CalcomEventType> {
      return ctx.send(scope, { method: "GET", path: path(eventTypeId), template, data: eventTypeSchema });
    },
    /** PATCH /v2/event-types/{eventTypeId} */
    update(eventTypeId: number, patch: UpdateEventTypeInput): Promise<CalcomEventType> {
      return ctx.send(scope, { method: "PATCH", path: path(eventTypeId), template, body: patch, data: eventTypeSchema });
    },
    /** DELETE /v2/event-types/{eventTypeId}: returns { id, lengthInMinutes, title, slug } of the deleted type. */
    delete(eventTypeId: number) {
      return ctx.send(scope, { method: "DELETE", path: path(eventTypeId), template, data: deletedEventTypeSchema });
    },
  };
}

export type EventTypesApi = ReturnType<typeof eventTypesApi>;
