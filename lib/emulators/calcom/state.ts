import { randomBytes } from "node:crypto";

/** In-memory data of the Cal.com emulator. Times are epoch milliseconds; tests may read and edit it directly. */
export type Weekday = "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";
export const WEEKDAYS: Weekday[] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export interface EmuUser {
  id: number;
  email: string;
  username: string;
  name: string | null;
  bio: string | null;
  timeZone: string;
  weekStart: string;
  timeFormat: number | null;
  defaultScheduleId: number | null;
  locale?: string;
  avatarUrl?: string | null;
  metadata?: Record<string, unknown>;
  createdDate: string;
  /** Set for Platform managed users. */
  oAuthClientId?: string;
}

export interface EmuToken {
  token: string;
  kind: "access" | "refresh";
  userId: number;
  expiresAt: number;
  revoked: boolean;
}

export interface EmuAvailability {
  days: Weekday[];
  startTime: string;
  endTime: string;
}

export interface EmuOverride {
  date: string;
  startTime: string;
  endTime: string;
}

export interface EmuSchedule {
  id: number;
  ownerId: number;
  name: string;
  timeZone: string;
  availability: EmuAvailability[];
  overrides: EmuOverride[];
}

export interface EmuConfirmationPolicy {
  type: "always" | "time";
  noticeThreshold?: { unit: string; count: number };
  blockUnconfirmedBookingsInBooker: boolean;
}

export interface EmuEventType {
  id: number;
  ownerId: number;
  title: string;
  slug: string;
  description: string;
  lengthInMinutes: number;
  slotInterval: number | null;
  minimumBookingNotice: number;
  beforeEventBuffer: number;
  afterEventBuffer: number;
  scheduleId: number | null;
  hidden: boolean;
  confirmationPolicy: EmuConfirmationPolicy | null;
  bookingRequiresAuthentication: boolean;
  locations: Record<string, unknown>[];
  metadata: Record<string, unknown>;
  disableGuests: boolean;
  /** Everything else the client sent, echoed back. */
  extra: Record<string, unknown>;
}

export type EmuBookingStatus = "accepted" | "pending" | "cancelled" | "rejected";

export interface EmuAttendee {
  name: string;
  email: string;
  timeZone: string;
  language: string;
  phoneNumber?: string;
  absent: boolean;
}

export interface EmuBooking {
  id: number;
  uid: string;
  title: string;
  description: string;
  status: EmuBookingStatus;
  start: number;
  end: number;
  eventTypeId: number;
  ownerId: number;
  attendees: EmuAttendee[];
  guests: string[];
  metadata: Record<string, unknown>;
  location: string;
  bookingFieldsResponses: Record<string, unknown>;
  icsUid: string;
  createdAt: number;
  updatedAt: number;
  cancellationReason?: string;
  cancelledByEmail?: string;
  rejectionReason?: string;
  reschedulingReason?: string;
  rescheduledByEmail?: string;
  rescheduledFromUid?: string;
  rescheduledToUid?: string;
  /** Old booking of a reschedule (cancelled + rescheduled=true upstream). */
  rescheduled: boolean;
}

export type EmuWebhookScope = { kind: "oauthClient"; clientId: string } | { kind: "user"; userId: number } | { kind: "all" };

export interface EmuWebhook {
  id: number;
  scope: EmuWebhookScope;
  subscriberUrl: string;
  active: boolean;
  triggers: string[];
  secret: string | null;
  payloadTemplate: string | null;
}

export class EmulatorState {
  users = new Map<number, EmuUser>();
  tokens = new Map<string, EmuToken>();
  schedules = new Map<number, EmuSchedule>();
  eventTypes = new Map<number, EmuEventType>();
  bookings = new Map<string, EmuBooking>();
  webhooks = new Map<number, EmuWebhook>();
  private nextIds = { user: 1, schedule: 1, eventType: 1, booking: 1, webhook: 1 };

  constructor(
    private readonly clock: () => number,
    readonly ttl: { accessTokenMs: number; refreshTokenMs: number },
  ) {}

  now() {
    return this.clock();
  }

  nextId(kind: keyof EmulatorState["nextIds"]) {
    return this.nextIds[kind]++;
  }

  userByEmail(email: string) {
    const wanted = email.toLowerCase();
    return [...this.users.values()].find((user) => user.email.toLowerCase() === wanted);
  }

  /** Issues an access + refresh token pair (JWT-shaped, like Cal.com's). */
  issueTokens(userId: number) {
    const now = this.now();
    const access = this.mint("access", userId, now + this.ttl.accessTokenMs);
    const refresh = this.mint("refresh", userId, now + this.ttl.refreshTokenMs);
    return { accessToken: access.token, refreshToken: refresh.token, accessTokenExpiresAt: access.expiresAt, refreshTokenExpiresAt: refresh.expiresAt };
  }

  revokeRefreshTokens(userId?: number) {
    for (const token of this.tokens.values()) {
      if (token.kind === "refresh" && (userId === undefined || token.userId === userId)) token.revoked = true;
    }
  }

  expireAccessTokens(userId?: number) {
    const past = this.now() - 1;
    for (const token of this.tokens.values()) {
      if (token.kind === "access" && (userId === undefined || token.userId === userId)) token.expiresAt = Math.min(token.expiresAt, past);
    }
  }

  private mint(kind: EmuToken["kind"], userId: number, expiresAt: number): EmuToken {
    const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ sub: userId, type: kind, jti: randomBytes(8).toString("hex"), exp: Math.floor(expiresAt / 1000) })).toString("base64url");
    const token: EmuToken = { token: `${header}.${payload}.${randomBytes(24).toString("base64url")}`, kind, userId, expiresAt, revoked: false };
    this.tokens.set(token.token, token);
    return token;
  }
}

/** Cal.com-like booking uid (22 url-safe characters). */
export function newUid() {
  return randomBytes(16).toString("base64url").replace(/[-_]/g, "x").slice(0, 22);
}
