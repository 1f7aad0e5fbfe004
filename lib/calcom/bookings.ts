import { z } from "zod";
import { type CalcomContext, enc, type Scope } from "./context";
import { isCalcomError } from "./errors";
import type { components } from "./openapi";
import { type CalcomBooking, type CalcomBookingStatus, bookingSchema } from "./schemas";

/**
 * Bookings (cal-api-version 2024-08-13). Work by `uid`; `id` is the numeric id that webhooks call bookingId.
 *
 * confirm / decline / cancel are flagged idempotent (retried on 5xx and timeouts): when a retry — or a second
 * Stripe webhook — finds the booking already in the target state, Cal.com answers 400 ("Booking already
 * confirmed", …); these methods then re-read the booking and return it if it really is in that state.
 * reschedule and create are not retried after a timeout or 5xx: each call makes a new booking.
 */
export type CreateBookingInput = components["schemas"]["CreateBookingInput_2024_08_13"];
export type RescheduleBookingInput = components["schemas"]["RescheduleBookingInput_2024_08_13"];
export type CancelBookingInput = components["schemas"]["CancelBookingInput_2024_08_13"];

const ALREADY: Record<"confirm" | "decline" | "cancel", { status: CalcomBookingStatus; message: RegExp }> = {
  confirm: { status: "accepted", message: /already (been )?confirmed|already accepted/i },
  decline: { status: "rejected", message: /already (been )?(rejected|declined)/i },
  cancel: { status: "cancelled", message: /already (been )?cancell?ed/i },
};

/** GET /v2/bookings filters (times are UTC instants). */
export interface ListBookingsQuery {
  status?: ("upcoming" | "recurring" | "past" | "cancelled" | "unconfirmed")[];
  eventTypeId?: number;
  attendeeEmail?: string;
  afterStart?: Date;
  beforeEnd?: Date;
  sortStart?: "asc" | "desc";
  take?: number;
  skip?: number;
}

export function bookingsApi(ctx: CalcomContext, scope: Scope) {
  const path = (uid: string, action?: string) => `/v2/bookings/${enc(uid)}${action ? `/${action}` : ""}`;

  const get = (uid: string): Promise<CalcomBooking> =>
    ctx.send(scope, { method: "GET", path: path(uid), template: "/v2/bookings/{bookingUid}", data: bookingSchema });

  async function transition(uid: string, action: "confirm" | "decline" | "cancel", body: unknown): Promise<CalcomBooking> {
    try {
      return await ctx.send(scope, {
        method: "POST",
        path: path(uid, action),
        template: `/v2/bookings/{bookingUid}/${action}`,
        body,
        data: bookingSchema,
        idempotent: true,
      });
    } catch (error) {
      const already = ALREADY[action];
      if (isCalcomError(error, { status: 400 }) && already.message.test(error.calMessage ?? "")) {
        const booking = await get(uid);
        if (booking.status === already.status) return booking;
      }
      throw error;
    }
  }

  return {
    /** GET /v2/bookings: the authenticated user's bookings (as the coach; the OAuth client sees none). */
    list(query: ListBookingsQuery = {}): Promise<CalcomBooking[]> {
      return ctx.send(scope, {
        method: "GET",
        path: "/v2/bookings",
        template: "/v2/bookings",
        query: {
          status: query.status?.join(","),
          eventTypeId: query.eventTypeId,
          attendeeEmail: query.attendeeEmail,
          afterStart: query.afterStart?.toISOString(),
          beforeEnd: query.beforeEnd?.toISOString(),
          sortStart: query.sortStart,
          take: query.take,
          skip: query.skip,
        },
        data: z.array(bookingSchema),
      });
    },
    /** POST /v2/bookings: `pending` when the event type requires confirmation, else `accepted`. */
    create(input: CreateBookingInput): Promise<CalcomBooking> {
      return ctx.send(scope, { method: "POST", path: "/v2/bookings", template: "/v2/bookings", body: input, data: bookingSchema });
    },
    /** GET /v2/bookings/{bookingUid} */
    get,
    /** POST /v2/bookings/{bookingUid}/confirm (owner only) → accepted; "already confirmed" counts as success. */
    confirm(uid: string): Promise<CalcomBooking> {
      return transition(uid, "confirm", undefined);
    },
    /** POST /v2/bookings/{bookingUid}/decline (owner only) → rejected. */
    decline(uid: string, reason?: string): Promise<CalcomBooking> {
      return transition(uid, "decline", reason === undefined ? {} : { reason });
    },
    /** POST /v2/bookings/{bookingUid}/cancel → cancelled. */
    cancel(uid: string, input: CancelBookingInput = {}): Promise<CalcomBooking> {
      return transition(uid, "cancel", input);
    },
    /**
     * POST /v2/bookings/{bookingUid}/reschedule → a NEW booking with a new uid (`rescheduledFromUid` = old uid);
     * the old one becomes cancelled with `rescheduledToUid`. Pass the coach's email as `rescheduledBy` to keep a
     * paid booking accepted; otherwise it is pending again.
     */
    reschedule(uid: string, input: RescheduleBookingInput): Promise<CalcomBooking> {
      return ctx.send(scope, { method: "POST", path: path(uid, "reschedule"), template: "/v2/bookings/{bookingUid}/reschedule", body: input, data: bookingSchema });
    },
  };
}

export type BookingsApi = ReturnType<typeof bookingsApi>;
