import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { bookingWebhookPayload, type Core, type EmulatorConfig } from "./core";
import { cancelEmuBooking, rescheduleEmuBooking } from "./handlers/bookings";
import { createScheduleFor } from "./handlers/shared";
import { FaultController, type CalcomEmulatorFaults } from "./faults";
import { OpenApiValidator } from "./openapi-validator";
import { createHandler, type RecordedRequest } from "./server";
import { EmulatorState, type EmuBooking, type EmuUser, type EmuWebhook } from "./state";
import { WebhookDispatcher, type WebhookDelivery } from "./webhook-dispatcher";

/**
 * In-process Cal.com API v2 emulator (node:http, in-memory) for integration tests and `npm run dev` without Cal.com
 * keys. See docs/CALCOM_EMULATOR.md for what it implements, the fault API and the known OpenAPI deviations.
 */
export interface CalcomEmulatorOptions {
  /** 0 (default) = random free port. */
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** API key (must start with "cal_") acting as a regular, non-managed user with a default schedule. */
  apiKey?: string;
  /** Owner of the API key. */
  apiKeyUser?: { email?: string; name?: string; timeZone?: string };
  /** Default secret for webhooks.subscribe(). */
  webhookSecret?: string;
  /** Record violations AND answer 500 (default true). false: record only. */
  strict?: boolean;
  /** Access token lifetime (default 60 min). */
  accessTokenTtlMs?: number;
  /** Refresh token lifetime (default 1 year). */
  refreshTokenTtlMs?: number;
  /** Clock (default Date.now); see also emulator.clock. */
  now?: () => number;
  /** OpenAPI document to validate against (default lib/calcom/openapi-v2.json). */
  openApiPath?: string;
}

export interface CalcomEmulatorWebhooks {
  /** Subscribes a URL to every booking event of every user (or only `triggers`). */
  subscribe(url: string, options?: { secret?: string | null; triggers?: string[] }): EmuWebhook;
  unsubscribe(id: number): void;
  /** Every delivery attempt, including dropped ones and duplicates. */
  readonly deliveries: WebhookDelivery[];
  /** Waits until a matching delivery has been attempted. */
  waitFor(predicate: (delivery: WebhookDelivery) => boolean, timeoutMs?: number): Promise<WebhookDelivery>;
  /** Resolves when no delivery is in flight. */
  idle(): Promise<void>;
}

/**
 * What an attendee does through the links in Cal.com's emails (the web booking page, not API v2): the cancel link
 * carries `cancelledBy=<attendee email>` (upstream packages/lib/CalEventParser.ts getCancelLink), the reschedule
 * page books a new time with `rescheduledBy=<attendee email>` (so it is pending again when the event type requires
 * confirmation, CONTRACT.md §6). Errors are thrown as the HttpError the page would show.
 */
export interface CalcomEmulatorAttendee {
  cancel(uid: string, options?: { email?: string; reason?: string }): EmuBooking;
  reschedule(uid: string, options: { start: string | Date; email?: string; reason?: string }): EmuBooking;
}

export interface CalcomEmulator {
  url: string;
  port: number;
  config: EmulatorConfig;
  state: EmulatorState;
  /** The API key's owner. */
  apiKeyUser: EmuUser;
  faults: CalcomEmulatorFaults;
  webhooks: CalcomEmulatorWebhooks;
  attendee: CalcomEmulatorAttendee;
  deliveries: WebhookDelivery[];
  requests: RecordedRequest[];
  violations: string[];
  /** Shift the emulator's clock (token expiry, minimum notice, slots "now"). */
  clock: { offsetMs: number; advance(ms: number): void; now(): number };
  stop(): Promise<void>;
}

export async function startCalcomEmulator(options: CalcomEmulatorOptions = {}): Promise<CalcomEmulator> {
  const config: EmulatorConfig = {
    clientId: options.clientId ?? "emulator-client-id",
    clientSecret: options.clientSecret ?? "emulator-client-secret",
    apiKey: options.apiKey ?? "cal_test_emulatorkey",
    apiKeyOwnerId: 0,
    webhookSecret: options.webhookSecret ?? "emulator-webhook-secret",
  };
  if (!config.apiKey.startsWith("cal_")) throw new Error('apiKey must start with "cal_"');
  const base = options.now ?? Date.now;
  const clock = {
    offsetMs: 0,
    advance(ms: number) {
      clock.offsetMs += ms;
    },
    now: () => base() + clock.offsetMs,
  };
  const state = new EmulatorState(clock.now, {
    accessTokenMs: options.accessTokenTtlMs ?? 60 * 60_000,
    refreshTokenMs: options.refreshTokenTtlMs ?? 365 * 86_400_000,
  });
  const dispatcher = new WebhookDispatcher();
  const faults = new FaultController(state, dispatcher);
  const validator = new OpenApiValidator(options.openApiPath);
  const violations: string[] = [];
  const requests: RecordedRequest[] = [];

  const owner: EmuUser = {
    id: state.nextId("user"),
    email: options.apiKeyUser?.email ?? "owner@example.com",
    username: "owner",
    name: options.apiKeyUser?.name ?? "API Key Owner",
    bio: null,
    timeZone: options.apiKeyUser?.timeZone ?? "UTC",
    weekStart: "Monday",
    timeFormat: 24,
    defaultScheduleId: null,
    createdDate: new Date(clock.now()).toISOString(),
  };
  state.users.set(owner.id, owner);
  config.apiKeyOwnerId = owner.id;
  createScheduleFor(state, owner, { name: "Working hours", timeZone: owner.timeZone, isDefault: true });

  const core: Core = {
    state,
    config,
    emit(trigger, booking, extra) {
      const bookingOwner = state.users.get(booking.ownerId);
      const createdAt = new Date(clock.now()).toISOString();
      for (const webhook of state.webhooks.values()) {
        if (!webhook.active || !webhook.triggers.includes(trigger)) continue;
        const scope = webhook.scope;
        const applies =
          scope.kind === "all" ||
          (scope.kind === "user" && scope.userId === booking.ownerId) ||
          (scope.kind === "oauthClient" && bookingOwner?.oAuthClientId === scope.clientId);
        if (!applies) continue;
        const payload = bookingWebhookPayload(booking, state, config, extra);
        for (const [key, value] of Object.entries(payload)) if (value === undefined) delete payload[key];
        dispatcher.dispatch(webhook, trigger, payload, createdAt);
      }
    },
  };

  const server = createServer(createHandler({ core, validator, faults, strict: options.strict ?? true, violations, requests }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const webhooks: CalcomEmulatorWebhooks = {
    subscribe(url, subscribeOptions = {}) {
      const webhook: EmuWebhook = {
        id: state.nextId("webhook"),
        scope: { kind: "all" },
        subscriberUrl: url,
        active: true,
        triggers: subscribeOptions.triggers ?? ["BOOKING_CREATED", "BOOKING_REQUESTED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED", "BOOKING_REJECTED"],
        secret: subscribeOptions.secret === undefined ? config.webhookSecret : subscribeOptions.secret,
        payloadTemplate: null,
      };
      state.webhooks.set(webhook.id, webhook);
      return webhook;
    },
    unsubscribe(id) {
      state.webhooks.delete(id);
    },
    deliveries: dispatcher.deliveries,
    waitFor: (predicate, timeoutMs) => dispatcher.waitFor(predicate, timeoutMs),
    idle: () => dispatcher.idle(),
  };

  const findBooking = (uid: string) => {
    const booking = state.bookings.get(uid);
    if (!booking) throw new Error(`Booking with uid=${uid} not found`);
    return booking;
  };
  const attendee: CalcomEmulatorAttendee = {
    cancel(uid, cancelOptions = {}) {
      const booking = findBooking(uid);
      cancelEmuBooking(core, booking, { reason: cancelOptions.reason, cancelledBy: cancelOptions.email ?? booking.attendees[0]?.email });
      return booking;
    },
    reschedule(uid, rescheduleOptions) {
      const booking = findBooking(uid);
      const start = new Date(rescheduleOptions.start).getTime();
      return rescheduleEmuBooking(core, booking, { start, rescheduledBy: rescheduleOptions.email ?? booking.attendees[0]?.email, reason: rescheduleOptions.reason, viaAttendeeLink: true });
    },
  };

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    attendee,
    port,
    config,
    state,
    apiKeyUser: owner,
    faults,
    webhooks,
    deliveries: dispatcher.deliveries,
    requests,
    violations,
    clock,
    async stop() {
      await dispatcher.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type { CalcomEmulatorFaults, RequestMatch } from "./faults";
export type { WebhookDelivery } from "./webhook-dispatcher";
export type { RecordedRequest } from "./server";
export type { EmulatorState, EmuBooking, EmuEventType, EmuSchedule, EmuUser, EmuWebhook } from "./state";
