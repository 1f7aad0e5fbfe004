import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import {
  CalcomClient,
  type CalcomClientOptions,
  CalcomError,
  type CoachRef,
  InMemoryTokenStore,
  verifyCalcomSignature,
  withClientIdSuffix,
} from "@/lib/calcom";
import { type CalcomEmulator, startCalcomEmulator, type WebhookDelivery } from "@/lib/emulators/calcom";

/**
 * The real client against the emulator, in both auth modes, for every endpoint the app uses; plus faults
 * (timeouts, 5xx, 429, 498, refresh-token rotation, concurrent refresh) and webhooks. Every test ends with the
 * emulator's OpenAPI violation list empty.
 */
const DAY = 86_400_000;
const WEBHOOK_SECRET = "test-webhook-secret";

let emu: CalcomEmulator;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let seq = 0;

beforeAll(async () => {
  emu = await startCalcomEmulator({ port: 0, clientId: "coachbook-test", clientSecret: "sk_test_platformsecret", apiKey: "cal_test_emulatorapikey", webhookSecret: WEBHOOK_SECRET });
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/calcom`;
});

afterEach(async () => {
  await emu.webhooks.idle();
  emu.faults.reset();
  expect(emu.violations).toEqual([]);
});

afterAll(async () => {
  await emu?.stop();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

const fastRetry = { retry: { baseDelayMs: 5, maxDelayMs: 50 } };

function platform(options: Partial<CalcomClientOptions> = {}) {
  const store = new InMemoryTokenStore();
  const cal = new CalcomClient({ baseUrl: emu.url, auth: { kind: "platform", clientId: emu.config.clientId, clientSecret: emu.config.clientSecret }, tokenStore: store, ...fastRetry, ...options });
  return { cal, store };
}

function apiKeyClient(options: Partial<CalcomClientOptions> = {}) {
  return new CalcomClient({ baseUrl: emu.url, auth: { kind: "apiKey", apiKey: emu.config.apiKey }, ...fastRetry, ...options });
}

async function newCoach(cal: CalcomClient, timeZone = "Europe/Berlin") {
  const n = ++seq;
  const coachKey = `coach-${n}`;
  const email = `coach${n}@example.com`;
  const { user } = await cal.managedUsers.create({ email, name: `Coach ${n}`, timeZone }, { coachKey });
  const ref: CoachRef = { coachKey, managedUserId: user.id };
  return { user, ref, email, api: cal.coach(ref) };
}

function paidOffering(overrides: Record<string, unknown> = {}) {
  return {
    title: "Coaching session",
    slug: `session-${++seq}`,
    lengthInMinutes: 60,
    minimumBookingNotice: 0,
    confirmationPolicy: { type: "always" as const, blockUnconfirmedBookingsInBooker: true },
    bookingRequiresAuthentication: true,
    ...overrides,
  };
}

/** A Monday (UTC date) at least `days` ahead. */
function mondayIn(days: number) {
  const d = new Date(Date.now() + days * DAY);
  return new Date(d.getTime() + ((8 - d.getUTCDay()) % 7) * DAY).toISOString().slice(0, 10);
}

function dayRange(date: string) {
  return { start: `${date}T00:00:00.000Z`, end: `${date}T23:59:59.000Z` };
}

const attendee = { name: "Stu Dent", email: "stu@example.com", timeZone: "Europe/Paris" };
const isoSet = (slots: { start: Date }[]) => slots.map((s) => s.start.toISOString());

function deliveriesFor(uid: string, trigger?: string): WebhookDelivery[] {
  return emu.deliveries.filter((d) => d.payload.uid === uid && (!trigger || d.triggerEvent === trigger));
}

describe("managed users (Platform)", () => {
  it("creates with +clientId email, default schedule and stored tokens; get, list, listByEmail, update, delete", async () => {
    const { cal, store } = platform();
    const { user, ref, email, api } = await newCoach(cal, "America/New_York");
    expect(user.email).toBe(withClientIdSuffix(email, emu.config.clientId));
    expect(user.email).toContain(`+${emu.config.clientId}@`);
    expect(user.defaultScheduleId).toEqual(expect.any(Number));
    const tokens = await store.get(ref.coachKey);
    expect(tokens?.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(tokens?.refreshTokenExpiresAt.getTime()).toBeGreaterThan(Date.now() + 360 * DAY);

    const schedule = await api.schedules.getDefault();
    expect(schedule).toMatchObject({ id: user.defaultScheduleId, timeZone: "America/New_York", isDefault: true });
    expect(schedule?.availability).toEqual([{ days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], startTime: "09:00", endTime: "17:00" }]);

    expect(await cal.managedUsers.get(user.id)).toMatchObject({ id: user.id, email: user.email });
    expect((await cal.managedUsers.list()).map((u) => u.id)).toContain(user.id);
    expect((await cal.managedUsers.listByEmail(email)).map((u) => u.id)).toEqual([user.id]);

    const other = await api.schedules.create({ name: "Summer", timeZone: "Europe/Rome", isDefault: false });
    const updated = await cal.managedUsers.update(user.id, { name: "Renamed", timeZone: "Europe/Rome", defaultScheduleId: other.id });
    expect(updated).toMatchObject({ name: "Renamed", timeZone: "Europe/Rome", defaultScheduleId: other.id });

    expect(await cal.managedUsers.delete(user.id)).toMatchObject({ id: user.id });
    await expect(cal.managedUsers.get(user.id)).rejects.toMatchObject({ status: 404, code: "NotFoundException" });
  });

  it("refresh rotates the refresh token; force-refresh issues a pair without one", async () => {
    const { cal, store } = platform();
    const { user, ref } = await newCoach(cal);
    const first = (await store.get(ref.coachKey))!;
    const refreshed = await cal.managedUsers.refresh(first.refreshToken);
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    await expect(cal.managedUsers.refresh(first.refreshToken)).rejects.toMatchObject({ status: 401 });
    const forced = await cal.managedUsers.forceRefresh(user.id);
    expect(forced.accessTokenExpiresAt).toBeInstanceOf(Date);
    await expect(cal.managedUsers.refresh(refreshed.refreshToken)).rejects.toMatchObject({ status: 401 });
    await expect(cal.managedUsers.refresh(forced.refreshToken)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it("a user created without timeZone has no default schedule", async () => {
    const { cal } = platform();
    const n = ++seq;
    const { user } = await cal.managedUsers.create({ email: `nozone${n}@example.com`, name: "No Zone" }, { coachKey: `nz-${n}` });
    expect(user.defaultScheduleId).toBeNull();
    expect(await cal.coach({ coachKey: `nz-${n}`, managedUserId: user.id }).schedules.getDefault()).toBeNull();
  });

  it("a wrong client secret is a typed 401 whose message contains no secret", async () => {
    const cal = new CalcomClient({ baseUrl: emu.url, auth: { kind: "platform", clientId: emu.config.clientId, clientSecret: "sk_test_WRONGSECRET" } });
    const error: CalcomError = await cal.managedUsers.list().catch((e) => e);
    expect(error).toBeInstanceOf(CalcomError);
    expect(error).toMatchObject({ kind: "http", status: 401, code: "UnauthorizedException" });
    expect(JSON.stringify(error) + error.message).not.toContain("WRONGSECRET");
  });

  it("API-key mode cannot reach Platform-only endpoints", async () => {
    await expect(apiKeyClient().managedUsers.create({ email: "x@example.com", name: "X" })).rejects.toMatchObject({ kind: "config" });
    await expect(apiKeyClient().oauthClientWebhooks.list()).rejects.toMatchObject({ kind: "config" });
  });
});

describe.each(["platform", "apiKey"] as const)("schedules and event types (%s)", (mode) => {
  const coachApi = async () => (mode === "platform" ? (await newCoach(platform().cal)).api : apiKeyClient().coach());

  it("schedules: create, get, list, update, delete", async () => {
    const api = await coachApi();
    const created = await api.schedules.create({
      name: "Mornings",
      timeZone: "Europe/Berlin",
      isDefault: false,
      availability: [{ days: ["Monday", "Wednesday"], startTime: "08:00", endTime: "12:00" }],
      overrides: [{ date: "2031-01-06", startTime: "10:00", endTime: "11:00" }],
    });
    expect(created).toMatchObject({ name: "Mornings", isDefault: false, overrides: [{ date: "2031-01-06", startTime: "10:00", endTime: "11:00" }] });
    expect(await api.schedules.get(created.id)).toEqual(created);
    expect((await api.schedules.list()).map((s) => s.id)).toContain(created.id);
    const updated = await api.schedules.update(created.id, { availability: [{ days: ["Friday"], startTime: "13:00", endTime: "18:00" }], overrides: [] });
    expect(updated).toMatchObject({ availability: [{ days: ["Friday"], startTime: "13:00", endTime: "18:00" }], overrides: [] });
    await api.schedules.delete(created.id);
    await expect(api.schedules.get(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it("event types: create, get, update, delete", async () => {
    const api = await coachApi();
    const created = await api.eventTypes.create(paidOffering({ beforeEventBuffer: 10, afterEventBuffer: 15, slotInterval: 30 }));
    expect(created).toMatchObject({
      lengthInMinutes: 60,
      beforeEventBuffer: 10,
      afterEventBuffer: 15,
      slotInterval: 30,
      bookingRequiresAuthentication: true,
      confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: true },
    });
    expect(await api.eventTypes.get(created.id)).toMatchObject({ id: created.id, slug: created.slug });
    const updated = await api.eventTypes.update(created.id, { title: "Deep dive", lengthInMinutes: 90, confirmationPolicy: { disabled: true } });
    expect(updated).toMatchObject({ title: "Deep dive", lengthInMinutes: 90, confirmationPolicy: { disabled: true } });
    expect(await api.eventTypes.delete(created.id)).toMatchObject({ id: created.id, title: "Deep dive" });
    await expect(api.eventTypes.get(created.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("slots", () => {
  it("follows the schedule's zone across a DST change, as Dates sorted by start", async () => {
    const { cal } = platform();
    const { api, user } = await newCoach(cal, "Europe/Berlin");
    await api.schedules.update(user.defaultScheduleId!, { availability: [{ days: ["Friday", "Monday"], startTime: "09:00", endTime: "11:00" }] });
    const type = await api.eventTypes.create(paidOffering());
    // EU summer time starts Sunday 2030-03-31: Berlin is UTC+1 on Friday the 29th and UTC+2 on Monday April 1st.
    const slots = await cal.slots.get({ eventTypeId: type.id, start: "2030-03-29T00:00:00.000Z", end: "2030-04-01T23:59:59.000Z", timeZone: "Europe/Berlin" });
    expect(slots.every((s) => s.start instanceof Date && s.end.getTime() - s.start.getTime() === 3_600_000)).toBe(true);
    expect(isoSet(slots)).toEqual(["2030-03-29T08:00:00.000Z", "2030-03-29T09:00:00.000Z", "2030-04-01T07:00:00.000Z", "2030-04-01T08:00:00.000Z"]);
  });

  it("applies overrides, slot interval, buffers and minimum notice", async () => {
    const { cal } = platform();
    const { api, user } = await newCoach(cal, "UTC");
    const monday = mondayIn(14);
    const tuesday = new Date(Date.parse(monday) + DAY).toISOString().slice(0, 10);
    await api.schedules.update(user.defaultScheduleId!, { overrides: [{ date: tuesday, startTime: "10:00", endTime: "12:00" }] });
    const halfHourly = await api.eventTypes.create(paidOffering({ slotInterval: 30 }));
    expect(isoSet(await cal.slots.get({ eventTypeId: halfHourly.id, ...dayRange(tuesday), timeZone: "UTC" }))).toEqual([
      `${tuesday}T10:00:00.000Z`,
      `${tuesday}T10:30:00.000Z`,
      `${tuesday}T11:00:00.000Z`,
    ]);

    const buffered = await api.eventTypes.create(paidOffering({ afterEventBuffer: 30, confirmationPolicy: { disabled: true } }));
    const before = await cal.slots.get({ eventTypeId: buffered.id, ...dayRange(monday), timeZone: "UTC" });
    expect(before).toHaveLength(8);
    await api.bookings.create({ start: `${monday}T10:00:00.000Z`, eventTypeId: buffered.id, attendee });
    // 10:00–11:00 booked + 30 min after-buffer: 09:00 (ends 10:00, +30 overlaps), 10:00 and 11:00 are gone.
    expect(isoSet(await cal.slots.get({ eventTypeId: buffered.id, ...dayRange(monday), timeZone: "UTC" }))).toEqual(
      ["12", "13", "14", "15", "16"].map((h) => `${monday}T${h}:00:00.000Z`),
    );

    const noticed = await api.eventTypes.create(paidOffering({ minimumBookingNotice: 3 * 24 * 60 }));
    const soon = await cal.slots.get({ eventTypeId: noticed.id, start: new Date(), end: new Date(Date.now() + 6 * DAY), timeZone: "UTC" });
    expect(soon.every((s) => s.start.getTime() >= Date.now() + 3 * DAY - 60_000)).toBe(true);
  });

  it("accepted bookings block every offering; pending ones only their own", async () => {
    const { cal } = platform();
    const { api } = await newCoach(cal, "UTC");
    const monday = mondayIn(21);
    const a = await api.eventTypes.create(paidOffering());
    const b = await api.eventTypes.create(paidOffering());
    const at = `${monday}T09:00:00.000Z`;
    const pending = await api.bookings.create({ start: at, eventTypeId: a.id, attendee });
    expect(pending.status).toBe("pending");
    expect(isoSet(await cal.slots.get({ eventTypeId: a.id, ...dayRange(monday), timeZone: "UTC" }))).not.toContain(at);
    expect(isoSet(await cal.slots.get({ eventTypeId: b.id, ...dayRange(monday), timeZone: "UTC" }))).toContain(at);
    await api.bookings.confirm(pending.uid);
    expect(isoSet(await cal.slots.get({ eventTypeId: b.id, ...dayRange(monday), timeZone: "UTC" }))).not.toContain(at);
    expect(isoSet(await cal.slots.get({ eventTypeId: a.id, ...dayRange(monday), timeZone: "UTC", bookingUidToReschedule: pending.uid }))).toContain(at);
  });
});

describe("bookings and webhooks", () => {
  it("pending → confirm (idempotent) with signed BOOKING_REQUESTED / BOOKING_CREATED webhooks", async () => {
    const { cal } = platform();
    const hook = await cal.oauthClientWebhooks.create({ subscriberUrl: receiverUrl, active: true, triggers: ["BOOKING_REQUESTED", "BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_REJECTED", "BOOKING_RESCHEDULED"], secret: WEBHOOK_SECRET });
    try {
      expect(hook).toMatchObject({ oAuthClientId: emu.config.clientId, triggers: expect.arrayContaining(["BOOKING_REQUESTED"]), payloadTemplate: null });
      const { api, user } = await newCoach(cal);
      const type = await api.eventTypes.create(paidOffering());
      const [slot] = await cal.slots.get({ eventTypeId: type.id, ...dayRange(mondayIn(14)), timeZone: "Europe/Berlin" });
      const booking = await api.bookings.create({ start: slot.start.toISOString(), eventTypeId: type.id, attendee, metadata: { orderId: "order-1" } });
      expect(booking).toMatchObject({ status: "pending", metadata: { orderId: "order-1" }, hosts: [{ id: user.id, email: user.email }] });

      const requested = await emu.webhooks.waitFor((d) => d.payload.uid === booking.uid && d.triggerEvent === "BOOKING_REQUESTED");
      const delivered = received.find((r) => r.body === requested.body);
      expect(delivered).toBeDefined();
      expect(delivered!.headers["content-type"]).toBe("application/json");
      expect(verifyCalcomSignature(delivered!.body, delivered!.headers["x-cal-signature-256"] as string, WEBHOOK_SECRET)).toBe(true);
      expect(verifyCalcomSignature(delivered!.body, delivered!.headers["x-cal-signature-256"] as string, "wrong")).toBe(false);
      const envelope = JSON.parse(delivered!.body);
      expect(envelope).toMatchObject({
        triggerEvent: "BOOKING_REQUESTED",
        createdAt: expect.any(String),
        payload: { uid: booking.uid, bookingId: booking.id, status: "PENDING", startTime: booking.start, endTime: booking.end, organizer: { id: user.id, email: user.email }, attendees: [{ email: attendee.email }], metadata: { orderId: "order-1" } },
      });

      expect(await api.bookings.confirm(booking.uid)).toMatchObject({ status: "accepted" });
      expect(await api.bookings.confirm(booking.uid)).toMatchObject({ status: "accepted" });
      const created = await emu.webhooks.waitFor((d) => d.payload.uid === booking.uid && d.triggerEvent === "BOOKING_CREATED");
      expect(created.payload).toMatchObject({ status: "ACCEPTED", metadata: { videoCallUrl: expect.any(String) } });
      expect((created.payload.metadata as Record<string, unknown>).orderId).toBeUndefined();
      expect(deliveriesFor(booking.uid, "BOOKING_CREATED")).toHaveLength(1);
      expect(await cal.bookings.get(booking.uid)).toMatchObject({ status: "accepted" });
    } finally {
      await cal.oauthClientWebhooks.delete(hook.id);
    }
  });

  it("decline → rejected, cancel → cancelled (idempotent), with their webhooks", async () => {
    const { cal } = platform();
    const sub = emu.webhooks.subscribe(receiverUrl);
    onTestFinished(() => emu.webhooks.unsubscribe(sub.id));
    const { api } = await newCoach(cal, "UTC");
    const type = await api.eventTypes.create(paidOffering());
    const monday = mondayIn(14);
    const first = await api.bookings.create({ start: `${monday}T09:00:00.000Z`, eventTypeId: type.id, attendee });
    expect(await api.bookings.decline(first.uid, "payment expired")).toMatchObject({ status: "rejected" });
    expect(await api.bookings.decline(first.uid, "payment expired")).toMatchObject({ status: "rejected" });
    const rejected = await emu.webhooks.waitFor((d) => d.payload.uid === first.uid && d.triggerEvent === "BOOKING_REJECTED");
    expect(rejected.payload).toMatchObject({ status: "REJECTED", rejectionReason: "payment expired" });

    const second = await api.bookings.create({ start: `${monday}T10:00:00.000Z`, eventTypeId: type.id, attendee, metadata: { orderId: "o2" } });
    expect(await cal.bookings.cancel(second.uid, { cancellationReason: "student cancelled" })).toMatchObject({ status: "cancelled", cancellationReason: "student cancelled" });
    expect(await cal.bookings.cancel(second.uid, { cancellationReason: "again" })).toMatchObject({ status: "cancelled" });
    const cancelled = await emu.webhooks.waitFor((d) => d.payload.uid === second.uid && d.triggerEvent === "BOOKING_CANCELLED");
    expect(cancelled.payload).toMatchObject({ status: "CANCELLED", cancellationReason: "student cancelled", bookingId: second.id });
    expect(cancelled.payload.metadata).toBeUndefined();
    await expect(api.bookings.confirm(second.uid)).rejects.toMatchObject({ status: 400 });
  });

  it("bookingRequiresAuthentication: 401 anonymous, 403 another coach, OK for the owner and the OAuth client", async () => {
    const { cal } = platform();
    const owner = await newCoach(cal, "UTC");
    const stranger = await newCoach(cal, "UTC");
    const type = await owner.api.eventTypes.create(paidOffering({ confirmationPolicy: { disabled: true } }));
    const monday = mondayIn(28);
    const input = (hour: string) => ({ start: `${monday}T${hour}:00:00.000Z`, eventTypeId: type.id, attendee });
    const anonymous = await fetch(`${emu.url}/v2/bookings`, { method: "POST", headers: { "content-type": "application/json", "cal-api-version": "2024-08-13" }, body: JSON.stringify(input("09")) });
    expect(anonymous.status).toBe(401);
    await expect(stranger.api.bookings.create(input("09"))).rejects.toMatchObject({ status: 403, code: "ForbiddenException" });
    expect(await owner.api.bookings.create(input("09"))).toMatchObject({ status: "accepted" });
    expect(await cal.bookings.create(input("10"))).toMatchObject({ status: "accepted" });
    await expect(owner.api.bookings.create(input("09"))).rejects.toMatchObject({ status: 400 });
    await expect(stranger.api.bookings.confirm((await owner.api.bookings.create(input("11"))).uid)).rejects.toMatchObject({ status: 403 });
  });

  it("reschedule: new uid chain; by the coach stays accepted, by the student goes back to pending", async () => {
    const { cal } = platform();
    const sub = emu.webhooks.subscribe(receiverUrl);
    onTestFinished(() => emu.webhooks.unsubscribe(sub.id));
    const { api, email, user } = await newCoach(cal, "UTC");
    const type = await api.eventTypes.create(paidOffering());
    const monday = mondayIn(35);
    const original = await api.bookings.create({ start: `${monday}T09:00:00.000Z`, eventTypeId: type.id, attendee, metadata: { orderId: "o-r" } });
    await api.bookings.confirm(original.uid);

    const moved = await cal.bookings.reschedule(original.uid, { start: `${monday}T13:00:00.000Z`, rescheduledBy: email, reschedulingReason: "coach moved it" });
    expect(moved.uid).not.toBe(original.uid);
    expect(moved).toMatchObject({ status: "accepted", rescheduledFromUid: original.uid, rescheduledByEmail: user.email, metadata: { orderId: "o-r" }, start: `${monday}T13:00:00.000Z` });
    expect(await cal.bookings.get(original.uid)).toMatchObject({ status: "cancelled", rescheduledToUid: moved.uid });
    const rescheduled = await emu.webhooks.waitFor((d) => d.payload.uid === moved.uid && d.triggerEvent === "BOOKING_RESCHEDULED");
    expect(rescheduled.payload).toMatchObject({ status: "ACCEPTED", rescheduleUid: original.uid, rescheduleId: original.id, rescheduleStartTime: original.start });

    const stale: CalcomError = await cal.bookings.reschedule(original.uid, { start: `${monday}T14:00:00.000Z`, rescheduledBy: email }).catch((e) => e);
    expect(stale).toMatchObject({ status: 400 });
    expect(stale.calMessage).toContain(moved.uid);

    const byStudent = await cal.bookings.reschedule(moved.uid, { start: `${monday}T15:00:00.000Z`, rescheduledBy: attendee.email });
    expect(byStudent).toMatchObject({ status: "pending", rescheduledFromUid: moved.uid });
    const requested = await emu.webhooks.waitFor((d) => d.payload.uid === byStudent.uid && d.triggerEvent === "BOOKING_REQUESTED");
    expect(requested.payload).toMatchObject({ status: "PENDING", rescheduleUid: moved.uid });
    expect(deliveriesFor(byStudent.uid, "BOOKING_RESCHEDULED")).toHaveLength(0);
  });

  it("API-key mode: create, get, confirm, decline, cancel, reschedule as the key owner; user webhooks", async () => {
    const cal = apiKeyClient();
    const owner = cal.coach();
    const hook = await owner.webhooks.create({ subscriberUrl: receiverUrl, active: true, triggers: ["BOOKING_REQUESTED", "BOOKING_CREATED"], secret: "user-hook-secret" });
    try {
      expect(hook).toMatchObject({ userId: emu.apiKeyUser.id, active: true });
      expect((await owner.webhooks.list()).map((w) => w.id)).toContain(hook.id);
      const type = await owner.eventTypes.create(paidOffering());
      const monday = mondayIn(42);
      const booking = await cal.bookings.create({ start: `${monday}T09:00:00.000Z`, eventTypeId: type.id, attendee });
      expect(booking.status).toBe("pending");
      expect(await cal.bookings.get(booking.uid)).toMatchObject({ uid: booking.uid });
      expect(await owner.bookings.confirm(booking.uid)).toMatchObject({ status: "accepted" });
      const delivery = await emu.webhooks.waitFor((d) => d.webhookId === hook.id && d.payload.uid === booking.uid && d.triggerEvent === "BOOKING_CREATED");
      expect(verifyCalcomSignature(delivery.body, delivery.signature, "user-hook-secret")).toBe(true);
      const moved = await cal.bookings.reschedule(booking.uid, { start: `${monday}T11:00:00.000Z`, rescheduledBy: emu.apiKeyUser.email });
      expect(moved).toMatchObject({ status: "accepted", rescheduledFromUid: booking.uid });
      expect(await cal.bookings.cancel(moved.uid)).toMatchObject({ status: "cancelled" });
      const other = await cal.bookings.create({ start: `${monday}T14:00:00.000Z`, eventTypeId: type.id, attendee });
      expect(await owner.bookings.decline(other.uid)).toMatchObject({ status: "rejected" });
    } finally {
      await owner.webhooks.delete(hook.id);
    }
  });

  it("OAuth-client webhooks: create, list, delete; without a secret deliveries are unsigned", async () => {
    const { cal } = platform();
    const unsigned = await cal.oauthClientWebhooks.create({ subscriberUrl: receiverUrl, active: true, triggers: ["BOOKING_CREATED"] });
    expect(unsigned.secret).toBeUndefined();
    expect((await cal.oauthClientWebhooks.list()).map((w) => w.id)).toContain(unsigned.id);
    const { api } = await newCoach(cal, "UTC");
    const type = await api.eventTypes.create(paidOffering({ confirmationPolicy: { disabled: true } }));
    const booking = await api.bookings.create({ start: `${mondayIn(49)}T09:00:00.000Z`, eventTypeId: type.id, attendee });
    const delivery = await emu.webhooks.waitFor((d) => d.webhookId === unsigned.id && d.payload.uid === booking.uid);
    expect(delivery.signature).toBe("no-secret-provided");
    expect(verifyCalcomSignature(delivery.body, delivery.signature, WEBHOOK_SECRET)).toBe(false);
    expect(await cal.oauthClientWebhooks.delete(unsigned.id)).toMatchObject({ id: unsigned.id });
    expect((await cal.oauthClientWebhooks.list()).map((w) => w.id)).not.toContain(unsigned.id);
  });
});

describe("headers per endpoint family", () => {
  it("sends the right cal-api-version and credentials on every recorded request", async () => {
    const { cal } = platform();
    const { api } = await newCoach(cal, "UTC");
    const type = await api.eventTypes.create(paidOffering());
    const [slot] = await cal.slots.get({ eventTypeId: type.id, ...dayRange(mondayIn(90)), timeZone: "UTC" });
    const booking = await api.bookings.create({ start: slot.start.toISOString(), eventTypeId: type.id, attendee });
    await cal.bookings.get(booking.uid);
    await api.bookings.confirm(booking.uid);
    await apiKeyClient().coach().schedules.list();
    const versions: Record<string, string | undefined> = { bookings: "2024-08-13", "event-types": "2024-06-14", schedules: "2024-06-11", slots: "2024-09-04" };
    expect(emu.requests.length).toBeGreaterThan(6);
    for (const request of emu.requests) {
      const family = request.path.split("/")[2];
      const expected = request.path.includes("/webhooks") ? undefined : versions[family];
      if (request.path.startsWith("/v2/") && request.template) expect(request.calApiVersion, `${request.method} ${request.path}`).toBe(expected);
      if (request.path.startsWith("/v2/oauth")) expect(["secretKey"]).toContain(request.auth);
      if (request.path === "/v2/slots") expect(request.auth).toBe("none");
      if (/^\/v2\/(schedules|event-types)/.test(request.path)) expect(["accessToken", "apiKey"]).toContain(request.auth);
      if (/\/(confirm|decline)$/.test(request.path)) expect(["accessToken", "apiKey"]).toContain(request.auth);
    }
    expect(emu.requests.some((r) => r.path.startsWith("/v2/bookings") && r.auth === "clientHeaders")).toBe(true);
  });
});

describe("faults", () => {
  async function coachWithBooking(options: Partial<CalcomClientOptions> = {}) {
    const { cal, store } = platform(options);
    const coach = await newCoach(cal, "UTC");
    const type = await coach.api.eventTypes.create(paidOffering());
    const booking = await coach.api.bookings.create({ start: `${mondayIn(56 + seq)}T09:00:00.000Z`, eventTypeId: type.id, attendee });
    return { cal, store, ...coach, type, booking };
  }

  it("times out (AbortController); a GET is retried, a booking POST is not", async () => {
    const { booking } = await coachWithBooking();
    const { cal } = platform({ timeoutMs: 150 });
    emu.faults.delayNext(1, 400, { method: "GET", path: `/v2/bookings/${booking.uid}` });
    const before = emu.requests.length;
    expect(await cal.bookings.get(booking.uid)).toMatchObject({ uid: booking.uid });
    expect(emu.requests.slice(before).filter((r) => r.path === `/v2/bookings/${booking.uid}`)).toHaveLength(2);

    emu.faults.delayNext(1, 400, { method: "POST", path: "/v2/bookings" });
    const error = await cal.bookings.create({ start: `${mondayIn(300)}T09:00:00.000Z`, eventTypeId: booking.eventTypeId, attendee }).catch((e) => e);
    expect(error).toMatchObject({ kind: "timeout", attempts: 1 });
  });

  it("retries 5xx and then succeeds", async () => {
    const { cal, booking } = await coachWithBooking();
    emu.faults.failNext(2, { status: 503, path: `/v2/bookings/${booking.uid}` });
    const before = emu.requests.length;
    expect(await cal.bookings.get(booking.uid)).toMatchObject({ uid: booking.uid });
    expect(emu.requests.slice(before).map((r) => r.status)).toEqual([503, 503, 200]);
    emu.faults.failNext(5, { status: 500, path: `/v2/bookings/${booking.uid}` });
    await expect(cal.bookings.get(booking.uid)).rejects.toMatchObject({ status: 500, attempts: 4 });
  });

  it("honours Retry-After and X-RateLimit-Reset-Default on 429", async () => {
    const { cal, booking } = await coachWithBooking();
    emu.faults.rateLimitNext(1, { retryAfterSeconds: 1, path: `/v2/bookings/${booking.uid}` });
    let started = Date.now();
    expect(await cal.bookings.get(booking.uid)).toMatchObject({ uid: booking.uid });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    emu.faults.rateLimitNext(1, { retryAfterHeader: false, resetSeconds: 1, path: `/v2/bookings/${booking.uid}` });
    started = Date.now();
    expect(await cal.bookings.get(booking.uid)).toMatchObject({ uid: booking.uid });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("498 → refresh → retry once; the rotated pair is persisted", async () => {
    const { api, store, ref, booking } = await coachWithBooking();
    const before = (await store.get(ref.coachKey))!;
    emu.faults.expireAccessTokens();
    const mark = emu.requests.length;
    expect(await api.bookings.confirm(booking.uid)).toMatchObject({ status: "accepted" });
    expect(emu.requests.slice(mark).map((r) => `${r.status} ${r.template}`)).toEqual([
      "498 /v2/bookings/{bookingUid}/confirm",
      "200 /v2/oauth/{clientId}/refresh",
      "200 /v2/bookings/{bookingUid}/confirm",
    ]);
    const after = (await store.get(ref.coachKey))!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    const direct = platform().cal;
    await expect(direct.managedUsers.refresh(before.refreshToken)).rejects.toMatchObject({ status: 401 });
  });

  it("refreshes before expiry (< 60 s left) without a 498", async () => {
    const { api, store, ref, type } = await coachWithBooking();
    const tokens = (await store.get(ref.coachKey))!;
    await store.save(ref.coachKey, { ...tokens, accessTokenExpiresAt: new Date(Date.now() + 30_000) });
    const mark = emu.requests.length;
    await api.eventTypes.get(type.id);
    expect(emu.requests.slice(mark).map((r) => `${r.status} ${r.template}`)).toEqual(["200 /v2/oauth/{clientId}/refresh", "200 /v2/event-types/{eventTypeId}"]);
  });

  it("force-refreshes when the refresh token is rejected or missing", async () => {
    const { api, store, ref, type } = await coachWithBooking();
    emu.faults.revokeRefreshTokens();
    emu.faults.expireAccessTokens();
    await api.eventTypes.get(type.id);
    let templates = emu.requests.slice(-4).map((r) => `${r.status} ${r.template}`);
    expect(templates).toEqual([
      "498 /v2/event-types/{eventTypeId}",
      "401 /v2/oauth/{clientId}/refresh",
      "200 /v2/oauth-clients/{clientId}/users/{userId}/force-refresh",
      "200 /v2/event-types/{eventTypeId}",
    ]);
    store.tokens.delete(ref.coachKey);
    await api.eventTypes.get(type.id);
    templates = emu.requests.slice(-2).map((r) => `${r.status} ${r.template}`);
    expect(templates).toEqual(["200 /v2/oauth-clients/{clientId}/users/{userId}/force-refresh", "200 /v2/event-types/{eventTypeId}"]);
    expect(await store.get(ref.coachKey)).not.toBeNull();
  });

  it("serialises concurrent refreshes per coach", async () => {
    const { api, store, type } = await coachWithBooking();
    emu.faults.expireAccessTokens();
    const mark = emu.requests.length;
    const savesBefore = store.saves;
    const results = await Promise.all(Array.from({ length: 6 }, () => api.eventTypes.get(type.id)));
    expect(results.every((r) => r.id === type.id)).toBe(true);
    expect(emu.requests.slice(mark).filter((r) => r.template === "/v2/oauth/{clientId}/refresh")).toHaveLength(1);
    expect(store.saves - savesBefore).toBe(1);
  });

  it("drops, duplicates and reorders webhook deliveries on request", async () => {
    const { cal } = platform();
    const sub = emu.webhooks.subscribe(receiverUrl, { triggers: ["BOOKING_CREATED"] });
    try {
      const { api } = await newCoach(cal, "UTC");
      const type = await api.eventTypes.create(paidOffering({ confirmationPolicy: { disabled: true } }));
      const monday = mondayIn(70);
      const book = (hour: string) => api.bookings.create({ start: `${monday}T${hour}:00:00.000Z`, eventTypeId: type.id, attendee });

      emu.faults.dropWebhooks(1);
      const dropped = await book("09");
      const record = await emu.webhooks.waitFor((d) => d.webhookId === sub.id && d.payload.uid === dropped.uid);
      expect(record.dropped).toBe(true);
      expect(received.some((r) => r.body === record.body)).toBe(false);

      emu.faults.duplicateWebhooks(1);
      const duplicated = await book("10");
      await emu.webhooks.idle();
      const copies = received.filter((r) => JSON.parse(r.body).payload.uid === duplicated.uid);
      expect(copies).toHaveLength(2);
      expect(copies[0].body).toBe(copies[1].body);
      expect(copies[0].headers["x-cal-signature-256"]).toBe(copies[1].headers["x-cal-signature-256"]);

      emu.faults.holdWebhooks();
      const first = await book("11");
      const second = await book("12");
      const mark = received.length;
      await emu.faults.releaseWebhooks("reverse");
      const order = received.slice(mark).map((r) => JSON.parse(r.body).payload.uid).filter((uid) => uid === first.uid || uid === second.uid);
      expect(order).toEqual([second.uid, first.uid]);
    } finally {
      emu.webhooks.unsubscribe(sub.id);
    }
  });
});

describe("emulator contract checks", () => {
  it("without cal-api-version a versioned route falls back (404), unversioned routes do not care", async () => {
    const response = await fetch(`${emu.url}/v2/slots?eventTypeId=1&start=2030-01-01&end=2030-01-02`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: "error", error: { code: "NotFoundException" } });
    const users = await fetch(`${emu.url}/v2/oauth-clients/${emu.config.clientId}/users`, { headers: { "x-cal-secret-key": emu.config.clientSecret } });
    expect(users.status).toBe(200);
  });

  it("rejects half OAuth headers with a 401 naming the missing one", async () => {
    const response = await fetch(`${emu.url}/v2/bookings/nope`, { headers: { "cal-api-version": "2024-08-13", "x-cal-client-id": emu.config.clientId } });
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toContain("x-cal-secret-key");
  });

  it("records OpenAPI violations and answers 500 in strict mode", async () => {
    const { cal, store } = platform();
    const { ref } = await newCoach(cal);
    const token = (await store.get(ref.coachKey))!.accessToken;
    const response = await fetch(`${emu.url}/v2/schedules`, {
      method: "POST",
      headers: { "content-type": "application/json", "cal-api-version": "2024-06-11", authorization: `Bearer ${token}` },
      body: JSON.stringify({ timeZone: "Europe/Berlin", isDefault: false, availability: [{ days: ["Mon"], startTime: "9:00", endTime: "17:00" }] }),
    });
    expect(response.status).toBe(500);
    expect(emu.violations.join("\n")).toMatch(/POST \/v2\/schedules request: request body: .*name/);
    emu.violations.length = 0;
  });
});
