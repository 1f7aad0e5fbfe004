import type { IncomingHttpHeaders } from "node:http";
import type { Principal } from "./auth";
import type { EmulatorState, EmuBooking, EmuEventType, EmuSchedule, EmuUser, EmuWebhook } from "./state";

/** Shared pieces of the emulator's handlers: config, request context, output shapes, webhook payloads. */
export interface EmulatorConfig {
  clientId: string;
  clientSecret: string;
  apiKey: string;
  apiKeyOwnerId: number;
  webhookSecret: string;
}

export interface Core {
  state: EmulatorState;
  config: EmulatorConfig;
  /** Fires a webhook trigger for a booking to every matching, active subscription. */
  emit(trigger: string, booking: EmuBooking, extra?: Record<string, unknown>): void;
}

export interface RequestContext {
  method: string;
  pathname: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- validated per handler
  headers: IncomingHttpHeaders;
  principal: Principal;
  core: Core;
}

export interface HandlerResult {
  status: number;
  body: unknown;
}

export type RouteAuth = "none" | "optional" | "required" | "clientPath";

export interface Route {
  method: string;
  template: string;
  auth: RouteAuth;
  handler(ctx: RequestContext): HandlerResult;
}

export const ok = (data: unknown, status = 200): HandlerResult => ({ status, body: { status: "success", data } });

// ─── Output shapes (the documented v2 outputs) ─────────────────────────────────────────────────────────────
export function userOut(user: EmuUser) {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    name: user.name,
    bio: user.bio,
    timeZone: user.timeZone,
    weekStart: user.weekStart,
    createdDate: user.createdDate,
    timeFormat: user.timeFormat,
    defaultScheduleId: user.defaultScheduleId,
    ...(user.locale ? { locale: user.locale } : {}),
    avatarUrl: user.avatarUrl ?? null,
    metadata: user.metadata ?? {},
  };
}

export function scheduleOut(schedule: EmuSchedule, state: EmulatorState) {
  return {
    id: schedule.id,
    ownerId: schedule.ownerId,
    name: schedule.name,
    timeZone: schedule.timeZone,
    availability: schedule.availability.map((a) => ({ days: [...a.days], startTime: a.startTime, endTime: a.endTime })),
    isDefault: state.users.get(schedule.ownerId)?.defaultScheduleId === schedule.id,
    overrides: schedule.overrides.map((o) => ({ ...o })),
  };
}

export function eventTypeOut(type: EmuEventType, state: EmulatorState) {
  const owner = state.users.get(type.ownerId);
  return {
    ...type.extra,
    id: type.id,
    ownerId: type.ownerId,
    lengthInMinutes: type.lengthInMinutes,
    title: type.title,
    slug: type.slug,
    description: type.description,
    locations: type.locations,
    bookingFields: [],
    disableGuests: type.disableGuests,
    slotInterval: type.slotInterval,
    minimumBookingNotice: type.minimumBookingNotice,
    beforeEventBuffer: type.beforeEventBuffer,
    afterEventBuffer: type.afterEventBuffer,
    recurrence: null,
    metadata: type.metadata,
    price: 0,
    currency: "usd",
    lockTimeZoneToggleOnBookingPage: false,
    seatsPerTimeSlot: null,
    forwardParamsSuccessRedirect: null,
    successRedirectUrl: null,
    isInstantEvent: false,
    seatsShowAvailabilityCount: null,
    scheduleId: type.scheduleId,
    confirmationPolicy: type.confirmationPolicy ?? { disabled: true },
    hidden: type.hidden,
    bookingRequiresAuthentication: type.bookingRequiresAuthentication,
    users: owner ? [{ id: owner.id, name: owner.name, username: owner.username, avatarUrl: owner.avatarUrl ?? null, weekStart: owner.weekStart, metadata: owner.metadata ?? {} }] : [],
  };
}

export function bookingOut(booking: EmuBooking, state: EmulatorState) {
  const owner = state.users.get(booking.ownerId);
  const type = state.eventTypes.get(booking.eventTypeId);
  const optional = {
    cancellationReason: booking.cancellationReason,
    cancelledByEmail: booking.cancelledByEmail,
    reschedulingReason: booking.reschedulingReason,
    rescheduledByEmail: booking.rescheduledByEmail,
    rescheduledFromUid: booking.rescheduledFromUid,
    rescheduledToUid: booking.rescheduledToUid,
  };
  return {
    id: booking.id,
    uid: booking.uid,
    title: booking.title,
    description: booking.description,
    hosts: owner ? [{ id: owner.id, name: owner.name ?? "", email: owner.email, username: owner.username, timeZone: owner.timeZone }] : [],
    status: booking.status,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    start: new Date(booking.start).toISOString(),
    end: new Date(booking.end).toISOString(),
    duration: Math.round((booking.end - booking.start) / 60_000),
    eventTypeId: booking.eventTypeId,
    eventType: { id: booking.eventTypeId, slug: type?.slug ?? "deleted" },
    meetingUrl: booking.location,
    location: booking.location,
    absentHost: false,
    createdAt: new Date(booking.createdAt).toISOString(),
    updatedAt: new Date(booking.updatedAt).toISOString(),
    metadata: booking.metadata,
    icsUid: booking.icsUid,
    attendees: booking.attendees.map((a) => ({ ...a })),
    guests: booking.guests,
    bookingFieldsResponses: booking.bookingFieldsResponses,
  };
}

export function webhookOut(webhook: EmuWebhook) {
  const owner = webhook.scope.kind === "oauthClient" ? { oAuthClientId: webhook.scope.clientId } : webhook.scope.kind === "user" ? { userId: webhook.scope.userId } : {};
  return {
    id: webhook.id,
    ...owner,
    subscriberUrl: webhook.subscriberUrl,
    active: webhook.active,
    triggers: [...webhook.triggers],
    payloadTemplate: webhook.payloadTemplate,
    ...(webhook.secret ? { secret: webhook.secret } : {}),
  };
}

// ─── Webhook payload (CONTRACT.md §8: CalendarEvent + EventTypeInfo + extras) ──────────────────────────────
function utcOffsetMinutes(zone: string, at: number) {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(new Date(at));
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

export function bookingWebhookPayload(booking: EmuBooking, state: EmulatorState, config: EmulatorConfig, extra: Record<string, unknown> = {}) {
  const owner = state.users.get(booking.ownerId);
  const type = state.eventTypes.get(booking.eventTypeId);
  const requiresConfirmation = Boolean(type?.confirmationPolicy);
  const base: Record<string, unknown> = {
    type: type?.slug,
    title: booking.title,
    description: booking.description,
    additionalNotes: booking.description,
    customInputs: {},
    startTime: new Date(booking.start).toISOString(),
    endTime: new Date(booking.end).toISOString(),
    organizer: owner
      ? {
          id: owner.id,
          name: owner.name,
          email: owner.email,
          username: owner.username,
          timeZone: owner.timeZone,
          language: { locale: owner.locale ?? "en" },
          timeFormat: owner.timeFormat === 24 ? "HH:mm" : "h:mma",
          utcOffset: utcOffsetMinutes(owner.timeZone, booking.start),
        }
      : undefined,
    responses: booking.bookingFieldsResponses,
    userFieldsResponses: {},
    attendees: booking.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      timeZone: a.timeZone,
      language: { locale: a.language },
      ...(a.phoneNumber ? { phoneNumber: a.phoneNumber } : {}),
      utcOffset: utcOffsetMinutes(a.timeZone, booking.start),
    })),
    location: booking.location,
    uid: booking.uid,
    bookingId: booking.id,
    iCalUID: booking.icsUid,
    eventTypeId: booking.eventTypeId,
    eventTitle: type?.title,
    eventDescription: type?.description,
    requiresConfirmation,
    price: 0,
    currency: "usd",
    length: Math.round((booking.end - booking.start) / 60_000),
    status: booking.status.toUpperCase(),
    metadata: { ...booking.metadata, videoCallUrl: booking.location },
    ...(owner?.oAuthClientId
      ? {
          platformClientId: config.clientId,
          platformRescheduleUrl: null,
          platformCancelUrl: null,
          platformBookingUrl: null,
        }
      : {}),
  };
  return { ...base, ...extra };
}
