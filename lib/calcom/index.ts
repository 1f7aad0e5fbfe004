import { bookingsApi } from "./bookings";
import { type CalcomAuth, CalcomHttp, type CalcomHttpOptions } from "./client";
import { CalcomContext } from "./context";
import { eventTypesApi } from "./event-types";
import { managedUsersApi } from "./managed-users";
import { schedulesApi } from "./schedules";
import { slotsApi } from "./slots";
import { type CoachRef, TokenManager, type TokenStore } from "./tokens";
import { oauthClientWebhooksApi, userWebhooksApi } from "./webhooks";

/**
 * Cal.com API v2 client.
 *
 *   const cal = new CalcomClient({ baseUrl: process.env.CALCOM_API_URL, auth: { kind: "platform", clientId, clientSecret }, tokenStore });
 *   const { user } = await cal.managedUsers.create({ email, name, timeZone }, { coachKey });
 *   const coach = cal.coach({ coachKey, managedUserId: user.id });
 *   await coach.eventTypes.create({ ... });
 *   const slots = await cal.slots.get({ eventTypeId, start, end, timeZone });
 *   const booking = await coach.bookings.create({ ... });   // pending
 *   await coach.bookings.confirm(booking.uid);              // after payment
 *
 * In API-key mode (`auth: { kind: "apiKey", apiKey }`) every call is made as the key's owner: `cal.coach()` needs
 * no ref, and the Platform-only parts (managedUsers, oauthClientWebhooks) throw CalcomError kind "config".
 */
export interface CalcomClientOptions extends CalcomHttpOptions {
  /** Platform mode: where coach tokens live (encrypt at rest; see token-crypto.ts). */
  tokenStore?: TokenStore;
  /** Refresh an access token when less than this is left. Default 60 000 ms. */
  refreshLeewayMs?: number;
  /** Clock for token expiry decisions (tests). */
  now?: () => number;
}

export class CalcomClient {
  readonly http: CalcomHttp;
  readonly auth: CalcomAuth;
  private readonly ctx: CalcomContext;

  /** Platform managed users: create/get/list/listByEmail/update/delete/refresh/forceRefresh. */
  readonly managedUsers: ReturnType<typeof managedUsersApi>;
  /** Webhooks for all managed users of the OAuth client. */
  readonly oauthClientWebhooks: ReturnType<typeof oauthClientWebhooksApi>;
  /** Public availability. */
  readonly slots: ReturnType<typeof slotsApi>;
  /** Bookings as the OAuth client (x-cal-client-id + x-cal-secret-key) or the API key. Confirm/decline need cal.coach(). */
  readonly bookings: ReturnType<typeof bookingsApi>;

  constructor(options: CalcomClientOptions) {
    this.http = new CalcomHttp(options);
    this.auth = options.auth;
    const tokens =
      options.auth.kind === "platform"
        ? new TokenManager({ http: this.http, clientId: options.auth.clientId, store: options.tokenStore, refreshLeewayMs: options.refreshLeewayMs, now: options.now })
        : undefined;
    this.ctx = new CalcomContext(this.http, tokens);
    this.managedUsers = managedUsersApi(this.ctx, options.tokenStore);
    this.oauthClientWebhooks = oauthClientWebhooksApi(this.ctx);
    this.slots = slotsApi(this.ctx);
    this.bookings = bookingsApi(this.ctx, { kind: "client" });
  }

  /** Calls made as a coach (managed user access token in Platform mode; the API key otherwise). */
  coach(ref?: CoachRef) {
    const scope = { kind: "coach", ref } as const;
    return {
      schedules: schedulesApi(this.ctx, scope),
      eventTypes: eventTypesApi(this.ctx, scope),
      bookings: bookingsApi(this.ctx, scope),
      webhooks: userWebhooksApi(this.ctx, scope),
    };
  }

  /** Force a token refresh for a coach (e.g. after restoring tokens); serialised with other refreshes. */
  refreshCoachTokens(ref: CoachRef) {
    if (!this.ctx.tokens) throw new Error("refreshCoachTokens is only available in Platform mode");
    return this.ctx.tokens.refresh(ref);
  }
}

export type CoachApi = ReturnType<CalcomClient["coach"]>;

export type { CalcomAuth, CalcomHttpOptions, RequestAuth } from "./client";
export { CalcomError, isCalcomError, type CalcomErrorKind } from "./errors";
export { CAL_API_VERSIONS, apiVersionFor, endpointFamily } from "./versions";
export { computeBackoffMs, serverRetryAfterMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
export { InMemoryTokenStore, type CalcomTokens, type CoachRef, type TokenStore } from "./tokens";
export { withClientIdSuffix, type CreateManagedUserInput, type UpdateManagedUserInput, type CreatedManagedUser } from "./managed-users";
export type { CreateScheduleInput, UpdateScheduleInput, ScheduleAvailability, ScheduleOverride } from "./schedules";
export type { CreateEventTypeInput, UpdateEventTypeInput } from "./event-types";
export { normaliseSlots, type GetSlotsQuery, type Slot } from "./slots";
export type { CreateBookingInput, RescheduleBookingInput, CancelBookingInput, ListBookingsQuery } from "./bookings";
export { verifyCalcomSignature, signCalcomPayload, CALCOM_SIGNATURE_HEADER, type CreateWebhookInput, type WebhookTrigger } from "./webhooks";
export type { ManagedUser, CalcomSchedule, CalcomEventType, CalcomBooking, CalcomBookingStatus, OAuthClientWebhook, UserWebhook } from "./schemas";
export { createTokenCipher, encryptToken, decryptToken, TokenCryptoError, type TokenCipher } from "./token-crypto";
