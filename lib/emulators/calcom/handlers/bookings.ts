import { actingUser, requireUser } from "../auth";
import { computeSlots } from "../availability";
import { type Core, type Route, type RequestContext, bookingOut, ok } from "../core";
import { badRequest, forbidden, notFound, unauthorized } from "../http-error";
import { type EmuBooking, type EmuEventType, newUid } from "../state";
import { suffixEmail } from "./managed-users";
import { checkMetadata, requireIsoInstant, requireString, requireZone } from "./shared";
import { findEventType } from "./slots";

/**
 * Bookings 2024-08-13 with Cal.com's life cycle (CONTRACT.md §6, §8):
 * create → pending (confirmation required) + BOOKING_REQUESTED, or accepted + BOOKING_CREATED;
 * confirm → accepted + BOOKING_CREATED (400 "Booking already confirmed" when accepted);
 * decline → rejected + BOOKING_REJECTED; cancel → cancelled + BOOKING_CANCELLED (no metadata in the payload);
 * reschedule → NEW uid; the old booking becomes cancelled with rescheduledToUid; the new one is accepted +
 * BOOKING_RESCHEDULED when confirmation is not required or `rescheduledBy` is the owner, otherwise pending +
 * BOOKING_REQUESTED (with rescheduleUid).
 */
const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000, months: 2_592_000_000, years: 31_536_000_000 };

function requiresConfirmation(type: EmuEventType, start: number, now: number) {
  const policy = type.confirmationPolicy;
  if (!policy) return false;
  if (policy.type === "always") return true;
  const threshold = (policy.noticeThreshold?.count ?? 0) * (UNIT_MS[policy.noticeThreshold?.unit ?? "minutes"] ?? 60_000);
  return start - now < threshold;
}

function assertAvailable(ctx: { core: Core }, type: EmuEventType, start: number, lengthInMinutes: number, ignoreBookingUid?: string) {
  const { state } = ctx.core;
  const owner = state.users.get(type.ownerId);
  const scheduleId = type.scheduleId ?? owner?.defaultScheduleId ?? null;
  const schedule = scheduleId === null ? undefined : state.schedules.get(scheduleId);
  if (!schedule) throw badRequest("no_available_users_found_error: the organizer has no availability schedule");
  const slots = computeSlots({
    schedule,
    eventType: type,
    bookings: [...state.bookings.values()].filter((b) => b.ownerId === type.ownerId),
    eventTypes: state.eventTypes,
    rangeStart: start,
    rangeEnd: start,
    now: state.now(),
    lengthInMinutes: lengthInMinutes === type.lengthInMinutes ? undefined : lengthInMinutes,
    ignoreBookingUid,
  });
  if (!slots.some((slot) => slot.start === start)) {
    throw badRequest("no_available_users_found_error: User either already has booking at this time or is not available");
  }
}

function checkBookingAuthentication(ctx: RequestContext, type: EmuEventType) {
  if (!type.bookingRequiresAuthentication) return;
  const { principal, core } = ctx;
  if (principal.kind === "none") throw unauthorized(`Event type with id=${type.id} requires authentication to book: authenticate as the event type owner, a host or an admin`);
  if (principal.kind === "oauthClient") {
    if (core.state.users.get(type.ownerId)?.oAuthClientId === principal.clientId) return;
    throw forbidden(`OAuth client is not allowed to book event type with id=${type.id}`);
  }
  if (principal.user.id !== type.ownerId) throw forbidden(`User with id=${principal.user.id} is not allowed to book event type with id=${type.id}, which requires authentication`);
}

function getBooking(ctx: RequestContext): EmuBooking {
  const booking = ctx.core.state.bookings.get(ctx.params.bookingUid);
  if (!booking) throw notFound(`Booking with uid=${ctx.params.bookingUid} not found`);
  return booking;
}

function ownedBooking(ctx: RequestContext, action: string): EmuBooking {
  const user = requireUser(ctx.principal);
  const booking = getBooking(ctx);
  if (booking.ownerId !== user.id) throw forbidden(`User with id=${user.id} is not allowed to ${action} booking with uid=${booking.uid}`);
  return booking;
}

export const bookingRoutes: Route[] = [
  {
    method: "POST",
    template: "/v2/bookings",
    auth: "optional",
    handler(ctx) {
      const { state } = ctx.core;
      const body = ctx.body ?? {};
      if (body.instant || body.recurrenceCount !== undefined) throw badRequest("Instant and recurring bookings are not supported by the emulator");
      const start = requireIsoInstant(body.start, "start");
      const attendee = body.attendee ?? {};
      const name = requireString(attendee, "name");
      const timeZone = requireZone(attendee.timeZone, "attendee.timeZone");
      if (typeof attendee.email !== "string" && typeof attendee.phoneNumber !== "string") throw badRequest("attendee.email or attendee.phoneNumber is required");
      const type = findEventType(state, { eventTypeId: body.eventTypeId === undefined ? undefined : String(body.eventTypeId), eventTypeSlug: body.eventTypeSlug, username: body.username });
      checkBookingAuthentication(ctx, type);
      let length = type.lengthInMinutes;
      if (body.lengthInMinutes !== undefined) {
        const options = type.extra.lengthInMinutesOptions;
        if (!Array.isArray(options) || !options.map(Number).includes(body.lengthInMinutes)) {
          throw badRequest("Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths, or the value is not one of lengthInMinutesOptions");
        }
        length = body.lengthInMinutes;
      }
      const metadata = checkMetadata(body.metadata);
      assertAvailable(ctx, type, start, length);
      const owner = state.users.get(type.ownerId)!;
      const now = state.now();
      const uid = newUid();
      const email = typeof attendee.email === "string" ? attendee.email : "";
      const booking: EmuBooking = {
        id: state.nextId("booking"),
        uid,
        title: `${type.title} between ${owner.name ?? owner.username} and ${name}`,
        description: "",
        status: requiresConfirmation(type, start, now) ? "pending" : "accepted",
        start,
        end: start + length * 60_000,
        eventTypeId: type.id,
        ownerId: owner.id,
        attendees: [{ name, email, timeZone, language: typeof attendee.language === "string" ? attendee.language : "en", ...(attendee.phoneNumber ? { phoneNumber: attendee.phoneNumber } : {}), absent: false }],
        guests: Array.isArray(body.guests) ? body.guests.map(String) : [],
        metadata,
        location: `https://app.cal.com/video/${uid}`,
        bookingFieldsResponses: { name, email, ...(typeof body.bookingFieldsResponses === "object" && body.bookingFieldsResponses ? body.bookingFieldsResponses : {}) },
        icsUid: `${uid}@Cal.com`,
        createdAt: now,
        updatedAt: now,
        rescheduled: false,
      };
      state.bookings.set(uid, booking);
      ctx.core.emit(booking.status === "pending" ? "BOOKING_REQUESTED" : "BOOKING_CREATED", booking);
      return ok(bookingOut(booking, state), 201);
    },
  },
  {
    // The signed-in user's bookings (the coach's), filtered and paginated as the 2024-08-13 API does.
    method: "GET",
    template: "/v2/bookings",
    auth: "required",
    handler(ctx) {
      const user = requireUser(ctx.principal);
      const q = ctx.query;
      const eventTypeIds = [q.get("eventTypeId"), ...(q.get("eventTypeIds")?.split(",") ?? [])].filter(Boolean).map(Number);
      const afterStart = q.get("afterStart") ? Date.parse(q.get("afterStart")!) : null;
      const beforeEnd = q.get("beforeEnd") ? Date.parse(q.get("beforeEnd")!) : null;
      const statuses = q.getAll("status").flatMap((s) => s.split(",")).filter(Boolean);
      const now = ctx.core.state.now();
      const matchesStatus = (b: EmuBooking) =>
        statuses.length === 0 ||
        statuses.some((s) =>
          s === "upcoming" ? b.end >= now && (b.status === "accepted" || b.status === "pending")
          : s === "unconfirmed" ? b.status === "pending" && b.end >= now
          : s === "past" ? b.end < now
          : s === "cancelled" ? b.status === "cancelled" || b.status === "rejected"
          : false,
        );
      const all = [...ctx.core.state.bookings.values()]
        .filter((b) => b.ownerId === user.id)
        .filter((b) => eventTypeIds.length === 0 || eventTypeIds.includes(b.eventTypeId))
        .filter((b) => (afterStart === null || b.start >= afterStart) && (beforeEnd === null || b.end <= beforeEnd))
        .filter((b) => !q.get("attendeeEmail") || b.attendees.some((a) => a.email === q.get("attendeeEmail")))
        .filter(matchesStatus)
        .sort((a, b) => (q.get("sortStart") === "desc" ? b.start - a.start : a.start - b.start));
      const take = Math.min(Math.max(Number(q.get("take") ?? 100) || 100, 1), 250);
      const skip = Math.max(Number(q.get("skip") ?? 0) || 0, 0);
      const page = all.slice(skip, skip + take);
      const result = ok(page.map((b) => bookingOut(b, ctx.core.state)));
      (result.body as Record<string, unknown>).pagination = {
        totalItems: all.length,
        remainingItems: Math.max(all.length - (skip + page.length), 0),
        returnedItems: page.length,
        itemsPerPage: take,
        currentPage: Math.floor(skip / take) + 1,
        totalPages: Math.ceil(all.length / take),
        hasNextPage: skip + page.length < all.length,
        hasPreviousPage: skip > 0,
      };
      return result;
    },
  },
  {
    method: "GET",
    template: "/v2/bookings/{bookingUid}",
    auth: "optional",
    handler: (ctx) => ok(bookingOut(getBooking(ctx), ctx.core.state)),
  },
  {
    method: "POST",
    template: "/v2/bookings/{bookingUid}/confirm",
    auth: "required",
    handler(ctx) {
      const booking = ownedBooking(ctx, "confirm");
      if (booking.status === "accepted") throw badRequest("Booking already confirmed");
      if (booking.status !== "pending") throw badRequest(`Booking with uid=${booking.uid} is ${booking.status} and cannot be confirmed`);
      booking.status = "accepted";
      booking.updatedAt = ctx.core.state.now();
      // handleConfirmation.ts: the payload's metadata is only { videoCallUrl } (our metadata is NOT included).
      ctx.core.emit("BOOKING_CREATED", booking, { metadata: { videoCallUrl: booking.location } });
      return ok(bookingOut(booking, ctx.core.state));
    },
  },
  {
    method: "POST",
    template: "/v2/bookings/{bookingUid}/decline",
    auth: "required",
    handler(ctx) {
      const booking = ownedBooking(ctx, "decline");
      if (booking.status === "rejected") throw badRequest("Booking already rejected");
      if (booking.status !== "pending") throw badRequest(`Booking with uid=${booking.uid} is ${booking.status}; only pending bookings can be declined`);
      booking.status = "rejected";
      booking.rejectionReason = typeof ctx.body?.reason === "string" ? ctx.body.reason : undefined;
      booking.updatedAt = ctx.core.state.now();
      ctx.core.emit("BOOKING_REJECTED", booking, { rejectionReason: booking.rejectionReason ?? null });
      return ok(bookingOut(booking, ctx.core.state));
    },
  },
  {
    method: "POST",
    template: "/v2/bookings/{bookingUid}/cancel",
    auth: "optional",
    handler(ctx) {
      const booking = getBooking(ctx);
      if (ctx.body?.seatUid !== undefined) throw badRequest("Seated bookings are not supported by the emulator");
      cancelEmuBooking(ctx.core, booking, { reason: typeof ctx.body?.cancellationReason === "string" ? ctx.body.cancellationReason : undefined, cancelledBy: actingUser(ctx.principal)?.email });
      return ok(bookingOut(booking, ctx.core.state));
    },
  },
  {
    method: "POST",
    template: "/v2/bookings/{bookingUid}/reschedule",
    auth: "optional",
    handler(ctx) {
      const old = getBooking(ctx);
      const body = ctx.body ?? {};
      if (body.seatUid !== undefined) throw badRequest("Seated bookings are not supported by the emulator");
      const start = requireIsoInstant(body.start, "start");
      const rescheduledBy = body.rescheduledBy !== undefined ? requireString(body, "rescheduledBy") : undefined;
      const booking = rescheduleEmuBooking(ctx.core, old, { start, rescheduledBy, reason: typeof body.reschedulingReason === "string" ? body.reschedulingReason : undefined });
      return ok(bookingOut(booking, ctx.core.state), 201);
    },
  },
];

/**
 * handleCancelBooking.ts: the booking becomes cancelled with `cancelledBy` (the acting user's email through the API;
 * the attendee's email from the attendee's cancel link, CalEventParser.ts getCancelLink adds `cancelledBy`), and
 * BOOKING_CANCELLED fires (before the 2026 fix, without metadata).
 */
export function cancelEmuBooking(core: Core, booking: EmuBooking, input: { reason?: string; cancelledBy?: string }) {
  if (booking.status === "cancelled") throw badRequest("This booking has already been cancelled.");
  if (booking.status === "rejected") throw badRequest(`Booking with uid=${booking.uid} was rejected and cannot be cancelled`);
  booking.status = "cancelled";
  booking.cancellationReason = input.reason;
  booking.cancelledByEmail = input.cancelledBy;
  booking.updatedAt = core.state.now();
  core.emit("BOOKING_CANCELLED", booking, { metadata: undefined, cancellationReason: booking.cancellationReason ?? null, cancelledBy: booking.cancelledByEmail ?? null });
}

/**
 * bookings.service.ts reschedule / handleNewBooking with rescheduleUid: a NEW booking (new uid,
 * rescheduledFromUid = old uid, metadata copied); the old one becomes cancelled with rescheduledToUid. Pending again
 * when the event type requires confirmation unless `rescheduledBy` is the owner (the attendee's reschedule link
 * passes the attendee's email). BOOKING_RESCHEDULED when accepted, else BOOKING_REQUESTED with rescheduleUid.
 */
export function rescheduleEmuBooking(core: Core, old: EmuBooking, input: { start: number; rescheduledBy?: string; reason?: string; viaAttendeeLink?: boolean }): EmuBooking {
  const { state, config } = core;
  const ctx = { core };
  const start = input.start;
  if (old.rescheduled) {
    throw badRequest(`Can't reschedule booking with uid=${old.uid} because it has been rescheduled already. Please provide uid of the rescheduled booking: ${old.rescheduledToUid}`);
  }
  if (old.status === "cancelled" || old.status === "rejected") throw badRequest(`Can't reschedule booking with uid=${old.uid} because it has been ${old.status}`);
  const type = state.eventTypes.get(old.eventTypeId);
  if (!type) throw notFound(`Event type with id=${old.eventTypeId} not found`);
  const owner = state.users.get(type.ownerId)!;
  assertAvailable(ctx, type, start, type.lengthInMinutes, old.uid);
  let rescheduledBy: string | undefined;
  if (input.rescheduledBy !== undefined) {
    rescheduledBy = input.rescheduledBy;
    // API v2 appends the managed user's +clientId suffix; the web booking page (attendee link) passes the email as is.
    if (!input.viaAttendeeLink && owner.oAuthClientId && rescheduledBy.includes("@") && !isAttendee(old, rescheduledBy)) rescheduledBy = suffixEmail(rescheduledBy, config.clientId);
  }
  const byOwner = rescheduledBy !== undefined && rescheduledBy.toLowerCase() === owner.email.toLowerCase();
  const now = state.now();
  const uid = newUid();
  const booking: EmuBooking = {
    ...old,
    attendees: old.attendees.map((a) => ({ ...a })),
    metadata: { ...old.metadata },
    id: state.nextId("booking"),
    uid,
    status: requiresConfirmation(type, start, now) && !byOwner ? "pending" : "accepted",
    start,
    end: start + type.lengthInMinutes * 60_000,
    location: `https://app.cal.com/video/${uid}`,
    icsUid: `${uid}@Cal.com`,
    createdAt: now,
    updatedAt: now,
    cancellationReason: undefined,
    cancelledByEmail: undefined,
    rejectionReason: undefined,
    reschedulingReason: input.reason,
    rescheduledByEmail: rescheduledBy,
    rescheduledFromUid: old.uid,
    rescheduledToUid: undefined,
    rescheduled: false,
  };
  old.status = "cancelled";
  old.rescheduled = true;
  old.rescheduledToUid = uid;
  old.updatedAt = now;
  state.bookings.set(uid, booking);
  const extra = {
    rescheduleUid: old.uid,
    rescheduleId: old.id,
    rescheduleStartTime: new Date(old.start).toISOString(),
    rescheduleEndTime: new Date(old.end).toISOString(),
    rescheduledBy: rescheduledBy ?? null,
  };
  ctx.core.emit(booking.status === "accepted" ? "BOOKING_RESCHEDULED" : "BOOKING_REQUESTED", booking, extra);
  return booking;
}

function isAttendee(booking: EmuBooking, email: string) {
  return booking.attendees.some((a) => a.email.toLowerCase() === email.toLowerCase());
}
