import { requireUser } from "../auth";
import { type Route, type RequestContext, eventTypeOut, ok } from "../core";
import { badRequest, forbidden, notFound } from "../http-error";
import type { EmuConfirmationPolicy, EmuEventType, EmuUser } from "../state";
import { checkMetadata, ownSchedule, parseId, requireString } from "./shared";

/**
 * Event types 2024-06-14 (coach access token or API key). Keeps the fields the slot engine and bookings use
 * (length, interval, notice, buffers, schedule, confirmationPolicy, bookingRequiresAuthentication) and echoes the
 * rest. `confirmationPolicy: { disabled: true }` turns confirmation off.
 */
const KNOWN = new Set([
  "lengthInMinutes", "title", "slug", "description", "slotInterval", "minimumBookingNotice", "beforeEventBuffer",
  "afterEventBuffer", "scheduleId", "hidden", "confirmationPolicy", "bookingRequiresAuthentication", "locations",
  "metadata", "disableGuests", "bookingFields",
]);

function nonNegative(body: Record<string, unknown>, key: string, fallback: number) {
  const value = body[key];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw badRequest(`${key} must be a non-negative number`);
  return value;
}

function confirmationPolicy(value: unknown, fallback: EmuConfirmationPolicy | null): EmuConfirmationPolicy | null {
  if (value === undefined) return fallback;
  const policy = value as Record<string, unknown>;
  if (policy?.disabled === true) return null;
  if (policy?.type !== "always" && policy?.type !== "time") throw badRequest('confirmationPolicy.type must be "always" or "time"');
  if (typeof policy.blockUnconfirmedBookingsInBooker !== "boolean") throw badRequest("confirmationPolicy.blockUnconfirmedBookingsInBooker must be a boolean");
  const threshold = policy.noticeThreshold as { unit?: unknown; count?: unknown } | undefined;
  if (policy.type === "time" && (!threshold || typeof threshold.count !== "number" || typeof threshold.unit !== "string")) {
    throw badRequest('confirmationPolicy.noticeThreshold {unit, count} is required for type "time"');
  }
  return {
    type: policy.type,
    blockUnconfirmedBookingsInBooker: policy.blockUnconfirmedBookingsInBooker,
    ...(threshold ? { noticeThreshold: { unit: String(threshold.unit), count: Number(threshold.count) } } : {}),
  };
}

function apply(type: EmuEventType, body: Record<string, unknown>, ctx: RequestContext, owner: EmuUser) {
  const { state } = ctx.core;
  if (body.title !== undefined) type.title = requireString(body, "title");
  if (body.slug !== undefined) {
    const slug = requireString(body, "slug");
    const clash = [...state.eventTypes.values()].find((t) => t.ownerId === owner.id && t.slug === slug && t.id !== type.id);
    if (clash) throw badRequest(`User with ID=${owner.id} already has event type with slug=${slug}`);
    type.slug = slug;
  }
  if (body.lengthInMinutes !== undefined) {
    if (typeof body.lengthInMinutes !== "number" || body.lengthInMinutes <= 0) throw badRequest("lengthInMinutes must be a positive number");
    type.lengthInMinutes = body.lengthInMinutes;
  }
  if (body.description !== undefined) type.description = String(body.description);
  if (body.slotInterval !== undefined) type.slotInterval = body.slotInterval === null ? null : nonNegative(body, "slotInterval", 0) || null;
  type.minimumBookingNotice = nonNegative(body, "minimumBookingNotice", type.minimumBookingNotice);
  type.beforeEventBuffer = nonNegative(body, "beforeEventBuffer", type.beforeEventBuffer);
  type.afterEventBuffer = nonNegative(body, "afterEventBuffer", type.afterEventBuffer);
  if (body.scheduleId !== undefined) type.scheduleId = body.scheduleId === null ? null : ownSchedule(state, owner, Number(body.scheduleId)).id;
  if (body.hidden !== undefined) type.hidden = Boolean(body.hidden);
  if (body.disableGuests !== undefined) type.disableGuests = Boolean(body.disableGuests);
  if (body.bookingRequiresAuthentication !== undefined) type.bookingRequiresAuthentication = Boolean(body.bookingRequiresAuthentication);
  type.confirmationPolicy = confirmationPolicy(body.confirmationPolicy, type.confirmationPolicy);
  if (body.locations !== undefined) {
    if (!Array.isArray(body.locations)) throw badRequest("locations must be an array");
    type.locations = body.locations.map((l) => ({ ...(l as Record<string, unknown>) }));
  }
  if (body.metadata !== undefined) type.metadata = checkMetadata(body.metadata);
  for (const [key, value] of Object.entries(body)) if (!KNOWN.has(key)) type.extra[key] = value;
}

function ownEventType(ctx: RequestContext) {
  const user = requireUser(ctx.principal);
  const id = parseId(ctx.params.eventTypeId, "eventTypeId");
  const type = ctx.core.state.eventTypes.get(id);
  if (!type) throw notFound(`Event type with id=${id} not found`);
  if (type.ownerId !== user.id) throw forbidden(`User with id=${user.id} is not the owner of event type with id=${id}`);
  return { user, type };
}

export const eventTypeRoutes: Route[] = [
  {
    method: "POST",
    template: "/v2/event-types",
    auth: "required",
    handler(ctx) {
      const owner = requireUser(ctx.principal);
      const body = ctx.body ?? {};
      requireString(body, "title");
      requireString(body, "slug");
      if (typeof body.lengthInMinutes !== "number") throw badRequest("lengthInMinutes must be a number");
      const type: EmuEventType = {
        id: ctx.core.state.nextId("eventType"),
        ownerId: owner.id,
        title: "",
        slug: "",
        description: "",
        lengthInMinutes: 0,
        slotInterval: null,
        minimumBookingNotice: 120,
        beforeEventBuffer: 0,
        afterEventBuffer: 0,
        scheduleId: null,
        hidden: false,
        confirmationPolicy: null,
        bookingRequiresAuthentication: false,
        locations: [{ type: "integration", integration: "cal-video" }],
        metadata: {},
        disableGuests: false,
        extra: {},
      };
      apply(type, body, ctx, owner);
      ctx.core.state.eventTypes.set(type.id, type);
      return ok(eventTypeOut(type, ctx.core.state), 201);
    },
  },
  {
    method: "GET",
    template: "/v2/event-types/{eventTypeId}",
    auth: "required",
    handler: (ctx) => ok(eventTypeOut(ownEventType(ctx).type, ctx.core.state)),
  },
  {
    method: "PATCH",
    template: "/v2/event-types/{eventTypeId}",
    auth: "required",
    handler(ctx) {
      const { user, type } = ownEventType(ctx);
      apply(type, ctx.body ?? {}, ctx, user);
      return ok(eventTypeOut(type, ctx.core.state));
    },
  },
  {
    method: "DELETE",
    template: "/v2/event-types/{eventTypeId}",
    auth: "required",
    handler(ctx) {
      const { type } = ownEventType(ctx);
      ctx.core.state.eventTypes.delete(type.id);
      return ok({ id: type.id, lengthInMinutes: type.lengthInMinutes, title: type.title, slug: type.slug });
    },
  },
];
