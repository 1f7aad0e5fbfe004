import { z } from "zod";
import type { components, operations } from "./openapi";

/**
 * Response validation at the boundary: zod schemas for the parts of Cal.com's answers this app reads. Objects are
 * loose (unknown fields pass through untouched), so a newer API that adds fields keeps working, while a missing
 * or mistyped field we rely on becomes a CalcomError("invalid_response") instead of a crash deeper in.
 *
 * Every schema is checked at compile time against the generated OpenAPI types (lib/calcom/openapi.d.ts): the
 * `Conforms<>` lines below fail to type-check if a field we validate has a type the document does not allow.
 */
type Schemas = components["schemas"];

/** Compile-time check: every field the zod schema declares is assignable to the OpenAPI type of that field. */
type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type Conforms<Zod extends z.ZodType, Spec> = Known<z.output<Zod>> extends Partial<Pick<Spec, Extract<keyof Known<z.output<Zod>>, keyof Spec>>> ? true : false;
function conforms<T extends true>(): T | void {}

// ─── Managed users & tokens ───────────────────────────────────────────────────────────────────────────────
export const managedUserSchema = z.looseObject({
  id: z.number(),
  email: z.string(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  bio: z.string().nullable(),
  timeZone: z.string(),
  weekStart: z.string(),
  timeFormat: z.number().nullable(),
  defaultScheduleId: z.number().nullable(),
  createdDate: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
conforms<Conforms<typeof managedUserSchema, Schemas["ManagedUserOutput"]>>();

export const keysSchema = z.looseObject({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  accessTokenExpiresAt: z.number(),
  refreshTokenExpiresAt: z.number(),
});
conforms<Conforms<typeof keysSchema, Schemas["KeysDto"]>>();

export const createManagedUserDataSchema = keysSchema.extend({ user: managedUserSchema });
conforms<Conforms<typeof createManagedUserDataSchema, Schemas["CreateManagedUserData"]>>();

// ─── Schedules ────────────────────────────────────────────────────────────────────────────────────────────
const weekday = z.enum(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);
export const scheduleSchema = z.looseObject({
  id: z.number(),
  ownerId: z.number(),
  name: z.string(),
  timeZone: z.string(),
  isDefault: z.boolean(),
  availability: z.array(z.looseObject({ days: z.array(weekday), startTime: z.string(), endTime: z.string() })),
  overrides: z.array(z.looseObject({ date: z.string(), startTime: z.string(), endTime: z.string() })),
});
conforms<Conforms<typeof scheduleSchema, Schemas["ScheduleOutput_2024_06_11"]>>();

// ─── Event types ──────────────────────────────────────────────────────────────────────────────────────────
export const eventTypeSchema = z.looseObject({
  id: z.number(),
  ownerId: z.number(),
  title: z.string(),
  slug: z.string(),
  lengthInMinutes: z.number(),
  hidden: z.boolean(),
  scheduleId: z.number().nullable(),
  minimumBookingNotice: z.number().optional(),
  beforeEventBuffer: z.number().optional(),
  afterEventBuffer: z.number().optional(),
  slotInterval: z.number().nullable().optional(),
  bookingRequiresAuthentication: z.boolean(),
  confirmationPolicy: z.record(z.string(), z.unknown()).optional(),
  metadata: z.record(z.string(), z.unknown()),
});
conforms<Conforms<typeof eventTypeSchema, Schemas["EventTypeOutput_2024_06_14"]>>();

export const deletedEventTypeSchema = z.looseObject({ id: z.number(), title: z.string(), slug: z.string(), lengthInMinutes: z.number() });
conforms<Conforms<typeof deletedEventTypeSchema, Schemas["DeleteData_2024_06_14"]>>();

// ─── Slots ────────────────────────────────────────────────────────────────────────────────────────────────
export const slotsRangeSchema = z.record(z.string(), z.array(z.looseObject({ start: z.string(), end: z.string().optional() })));
type SlotsData = operations["SlotsController_2024_09_04_getAvailableSlots"]["responses"][200]["content"]["application/json"]["data"];
conforms<z.output<typeof slotsRangeSchema> extends SlotsData ? true : false>();

// ─── Bookings ─────────────────────────────────────────────────────────────────────────────────────────────
export const bookingStatusSchema = z.enum(["accepted", "pending", "cancelled", "rejected"]);
export const bookingSchema = z.looseObject({
  id: z.number(),
  uid: z.string().min(1),
  title: z.string(),
  status: bookingStatusSchema,
  start: z.string(),
  end: z.string(),
  duration: z.number(),
  eventTypeId: z.number(),
  eventType: z.looseObject({ id: z.number(), slug: z.string() }),
  hosts: z.array(z.looseObject({ id: z.number(), name: z.string(), email: z.string(), username: z.string(), timeZone: z.string() })),
  attendees: z.array(z.looseObject({ name: z.string(), email: z.string(), timeZone: z.string(), absent: z.boolean() })),
  metadata: z.record(z.string(), z.unknown()).optional(),
  cancellationReason: z.string().optional(),
  cancelledByEmail: z.string().optional(),
  reschedulingReason: z.string().optional(),
  rescheduledByEmail: z.string().optional(),
  rescheduledFromUid: z.string().optional(),
  rescheduledToUid: z.string().optional(),
  location: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
conforms<Conforms<typeof bookingSchema, Schemas["BookingOutput_2024_08_13"]>>();

// ─── Webhooks ─────────────────────────────────────────────────────────────────────────────────────────────
const webhookBase = {
  id: z.number(),
  subscriberUrl: z.string(),
  active: z.boolean(),
  triggers: z.array(z.string()),
  payloadTemplate: z.string().nullable(),
  secret: z.string().optional(),
};
export const oauthClientWebhookSchema = z.looseObject({ ...webhookBase, oAuthClientId: z.string() });
conforms<Conforms<typeof oauthClientWebhookSchema, Schemas["OAuthClientWebhookOutputDto"]>>();
export const userWebhookSchema = z.looseObject({ ...webhookBase, userId: z.number() });
conforms<Conforms<typeof userWebhookSchema, Schemas["UserWebhookOutputDto"]>>();

export type ManagedUser = z.output<typeof managedUserSchema>;
export type CalcomSchedule = z.output<typeof scheduleSchema>;
export type CalcomEventType = z.output<typeof eventTypeSchema>;
export type CalcomBooking = z.output<typeof bookingSchema>;
export type CalcomBookingStatus = z.output<typeof bookingStatusSchema>;
export type OAuthClientWebhook = z.output<typeof oauthClientWebhookSchema>;
export type UserWebhook = z.output<typeof userWebhookSchema>;
