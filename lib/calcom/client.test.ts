import { describe, expect, it } from "vitest";
import { redact } from "@/lib/log";
import { CalcomError } from "./errors";
import { CalcomClient, InMemoryTokenStore } from "./index";

type Call = { url: string; method: string; headers: Headers; body?: string };

function fakeFetch(responder: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const impl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), method: init?.method ?? "GET", headers: new Headers(init?.headers), body: init?.body as string | undefined };
    calls.push(call);
    return responder(call, calls.length - 1);
  }) as typeof fetch;
  return { calls, impl };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const errorBody = (code: string, message: string) => ({ status: "error", timestamp: "x", path: "/v2", error: { code, message, details: { message } } });

const booking = {
  id: 1,
  uid: "uid-1",
  title: "t",
  description: "",
  status: "pending",
  start: "2030-01-01T09:00:00.000Z",
  end: "2030-01-01T10:00:00.000Z",
  duration: 60,
  eventTypeId: 5,
  eventType: { id: 5, slug: "s" },
  hosts: [{ id: 1, name: "C", email: "c+cid@x.com", username: "c", timeZone: "UTC" }],
  attendees: [{ name: "S", email: "s@x.com", timeZone: "UTC", absent: false }],
  location: "https://video",
  absentHost: false,
  createdAt: "2030-01-01T00:00:00.000Z",
  updatedAt: "2030-01-01T00:00:00.000Z",
  bookingFieldsResponses: {},
};

const noSleep = { sleep: async () => {}, retry: { baseDelayMs: 1 } };
const platform = { kind: "platform" as const, clientId: "cid", clientSecret: "sk_live_SECRETSECRET" };
const future = (ms: number) => Date.now() + ms;

function platformClient(responder: Parameters<typeof fakeFetch>[0], store = new InMemoryTokenStore()) {
  const fetch = fakeFetch(responder);
  const cal = new CalcomClient({ baseUrl: "http://cal.test", auth: platform, tokenStore: store, fetch: fetch.impl, ...noSleep });
  return { cal, calls: fetch.calls, store };
}

describe("CalcomClient headers", () => {
  it("sends the family's cal-api-version and the right auth per call (Platform)", async () => {
    const store = new InMemoryTokenStore();
    await store.save("coach-1", { accessToken: "eyJa.eyJb.sig", refreshToken: "r1", accessTokenExpiresAt: new Date(future(3_600_000)), refreshTokenExpiresAt: new Date(future(1e10)) });
    const { cal, calls } = platformClient((call) => {
      if (call.url.includes("/slots")) return json(200, { status: "success", data: {} });
      if (call.url.includes("/oauth-clients/cid/users")) return json(200, { status: "success", data: [] });
      return json(200, { status: "success", data: booking });
    }, store);
    const coach = cal.coach({ coachKey: "coach-1", managedUserId: 7 });
    await cal.slots.get({ eventTypeId: 5, start: new Date("2030-01-01T00:00:00Z"), end: "2030-01-02T00:00:00Z", timeZone: "Europe/Berlin" });
    await cal.managedUsers.list({ emails: ["a@x.com"] });
    await coach.bookings.confirm("uid-1");
    await cal.bookings.get("uid-1");

    const [slots, users, confirm, get] = calls;
    expect(slots.headers.get("cal-api-version")).toBe("2024-09-04");
    expect(slots.headers.get("authorization")).toBeNull();
    expect(slots.headers.get("x-cal-secret-key")).toBeNull();
    expect(new URL(slots.url).searchParams.get("format")).toBe("range");
    expect(new URL(slots.url).searchParams.get("start")).toBe("2030-01-01T00:00:00.000Z");

    expect(users.headers.get("cal-api-version")).toBeNull();
    expect(users.headers.get("x-cal-secret-key")).toBe(platform.clientSecret);
    expect(users.headers.get("x-cal-client-id")).toBeNull();
    expect(users.headers.get("authorization")).toBeNull();
    expect(new URL(users.url).searchParams.get("emails")).toBe("a@x.com");

    expect(confirm.headers.get("cal-api-version")).toBe("2024-08-13");
    expect(confirm.headers.get("authorization")).toBe("Bearer eyJa.eyJb.sig");
    expect(confirm.headers.get("x-cal-secret-key")).toBeNull();
    expect(confirm.body).toBeUndefined();

    expect(get.headers.get("x-cal-client-id")).toBe("cid");
    expect(get.headers.get("x-cal-secret-key")).toBe(platform.clientSecret);
  });

  it("API-key mode sends Authorization: Bearer cal_... everywhere and refuses Platform-only calls", async () => {
    const fetch = fakeFetch(() => json(200, { status: "success", data: booking }));
    const cal = new CalcomClient({ auth: { kind: "apiKey", apiKey: "cal_test_abc" }, fetch: fetch.impl, ...noSleep });
    await cal.coach().bookings.confirm("uid-1");
    await cal.bookings.get("uid-1");
    expect(fetch.calls.map((c) => c.headers.get("authorization"))).toEqual(["Bearer cal_test_abc", "Bearer cal_test_abc"]);
    expect(fetch.calls[0].url).toBe("https://api.cal.com/v2/bookings/uid-1/confirm");
    const error = await cal.managedUsers.get(1).catch((e) => e);
    expect(error).toBeInstanceOf(CalcomError);
    expect(error.kind).toBe("config");
    expect(fetch.calls).toHaveLength(2);
  });
});

describe("CalcomClient errors and retries", () => {
  it("maps Cal.com's error envelope to a typed CalcomError without secrets", async () => {
    const { cal } = platformClient(() => json(401, errorBody("UnauthorizedException", "bad key sk_live_SECRETSECRET Bearer eyJa.eyJb.sig"), { "x-request-id": "req-9" }));
    const error: CalcomError = await cal.managedUsers.get(3).catch((e) => e);
    expect(error).toBeInstanceOf(CalcomError);
    expect(error).toMatchObject({ kind: "http", status: 401, code: "UnauthorizedException", requestId: "req-9", attempts: 1, path: "/v2/oauth-clients/{clientId}/users/{userId}" });
    const everything = JSON.stringify(error) + error.message + String(error.calMessage) + JSON.stringify(error.details) + String(error.stack);
    expect(everything).not.toContain("SECRETSECRET");
    expect(everything).not.toContain("eyJa.eyJb.sig");
    expect(redact(everything)).toBe(everything);
  });

  it("retries GET on 5xx, then succeeds", async () => {
    const { cal, calls } = platformClient((_call, i) => (i < 2 ? json(503, errorBody("ServiceUnavailableException", "down")) : json(200, { status: "success", data: booking })));
    await expect(cal.bookings.get("uid-1")).resolves.toMatchObject({ uid: "uid-1" });
    expect(calls).toHaveLength(3);
  });

  it("does not retry a non-idempotent POST on 5xx, but does on 429", async () => {
    const five = platformClient(() => json(500, errorBody("InternalServerErrorException", "boom")));
    const input = { start: "2030-01-01T09:00:00Z", eventTypeId: 5, attendee: { name: "S", email: "s@x.com", timeZone: "UTC" } };
    await expect(five.cal.bookings.create(input)).rejects.toMatchObject({ status: 500, attempts: 1 });
    expect(five.calls).toHaveLength(1);
    const limited = platformClient((_c, i) => (i === 0 ? json(429, errorBody("ThrottlerException", "Too many requests"), { "retry-after": "0" }) : json(201, { status: "success", data: booking })));
    await expect(limited.cal.bookings.create(input)).resolves.toMatchObject({ uid: "uid-1" });
    expect(limited.calls).toHaveLength(2);
  });

  it("gives up at once when Retry-After exceeds the bound, reporting retryAfterMs", async () => {
    const { cal, calls } = platformClient(() => json(429, errorBody("ThrottlerException", "Too many requests"), { "retry-after": "3600" }));
    await expect(cal.bookings.get("uid-1")).rejects.toMatchObject({ status: 429, retryAfterMs: 3_600_000 });
    expect(calls).toHaveLength(1);
  });

  it("turns a malformed 2xx body into invalid_response", async () => {
    const { cal } = platformClient(() => json(200, { status: "success", data: { ...booking, status: "ACCEPTED" } }));
    await expect(cal.bookings.get("uid-1")).rejects.toMatchObject({ kind: "invalid_response" });
    const html = platformClient(() => new Response("<html>oops</html>", { status: 200 }));
    await expect(html.cal.bookings.get("uid-1")).rejects.toMatchObject({ kind: "invalid_response" });
  });

  it("times out with AbortController and does not retry a POST after a timeout", async () => {
    const fetch = fakeFetch((call) => new Promise<Response>(() => void call));
    const impl: typeof globalThis.fetch = (input, init) =>
      new Promise((resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        void fetch.impl(input, init).then(resolve);
      });
    const cal = new CalcomClient({ baseUrl: "http://cal.test", auth: platform, fetch: impl, timeoutMs: 20, ...noSleep });
    const error = await cal.bookings.create({ start: "2030-01-01T09:00:00Z", eventTypeId: 5, attendee: { name: "S", timeZone: "UTC" } }).catch((e) => e);
    expect(error).toMatchObject({ kind: "timeout", attempts: 1 });
    expect(fetch.calls).toHaveLength(1);
  });

  it("treats 'Booking already confirmed' as success after checking the status", async () => {
    const store = new InMemoryTokenStore();
    await store.save("c", { accessToken: "eyJa.eyJb.sig", refreshToken: "r1", accessTokenExpiresAt: new Date(future(3_600_000)), refreshTokenExpiresAt: new Date(future(1e10)) });
    const { cal, calls } = platformClient(
      (call) => (call.url.endsWith("/confirm") ? json(400, errorBody("BadRequestException", "Booking already confirmed")) : json(200, { status: "success", data: { ...booking, status: "accepted" } })),
      store,
    );
    await expect(cal.coach({ coachKey: "c", managedUserId: 7 }).bookings.confirm("uid-1")).resolves.toMatchObject({ status: "accepted" });
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual(["POST /v2/bookings/uid-1/confirm", "GET /v2/bookings/uid-1"]);
  });
});
