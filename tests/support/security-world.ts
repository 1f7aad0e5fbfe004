import type { NextRequest } from "next/server";
import type { SessionUser } from "@/lib/auth/session";
import { createBooking } from "@/lib/booking/create";
import { db } from "@/lib/db/client";
import { createCoach, createStudent, futureHour } from "./fixtures";

/**
 * The actors and records of the security tests (access matrix, fuzz): anonymous, two students, two coaches and an
 * admin (the seed has no admin: made here), and one booking of student A with coach A.
 */
export const ACTORS = ["anonymous", "studentA", "studentB", "coachA", "coachB", "admin"] as const;
export type Actor = (typeof ACTORS)[number];

export interface World {
  users: Record<Exclude<Actor, "anonymous">, SessionUser>;
  coachA: { id: string; slug: string; offeringId: string };
  coachB: { id: string; slug: string; offeringId: string };
  bookingA: string;
}

const asSession = (u: { id: string; name: string; email: string; role: SessionUser["role"]; timeZone: string }): SessionUser => ({ id: u.id, name: u.name, email: u.email, role: u.role, timeZone: u.timeZone });

export async function buildWorld(): Promise<World> {
  const a = await createCoach();
  const b = await createCoach();
  const studentA = await createStudent();
  const studentB = await createStudent();
  const admin = await db.user.create({ data: { email: `admin-${a.coach.id}@example.com`, name: "Admin", passwordHash: "x", role: "ADMIN", timeZone: "UTC" } });
  const booking = await createBooking(studentA, { offeringId: a.offerings[0].id, start: futureHour(6).toISOString(), timeZone: "UTC" });
  return {
    users: { studentA: asSession(studentA), studentB: asSession(studentB), coachA: asSession(a.user), coachB: asSession(b.user), admin: asSession(admin) },
    coachA: { id: a.coach.id, slug: a.coach.slug, offeringId: a.offerings[0].id },
    coachB: { id: b.coach.id, slug: b.coach.slug, offeringId: b.offerings[0].id },
    bookingA: booking.bookingId,
  };
}

export type RouteHandler = (req: NextRequest, ctx: { params: Promise<never> }) => Promise<Response>;

/** Every API route, as a table: add a row for a new route (cancel-booking, reschedule-booking, admin ...). */
export interface ApiRow {
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: (w: World) => string;
  handler: () => Promise<RouteHandler>;
  params?: (w: World) => Record<string, unknown>;
  /** A body the route accepts when the caller may use it. */
  body?: (w: World) => unknown;
  /** Status per actor with `body`. */
  expect: Record<Actor, number>;
  /** Authenticated by a signature, not the session (fuzzed with signed bodies too). */
  signed?: "stripe" | "calcom";
}

const everyone = (status: number): Record<Actor, number> => ({ anonymous: status, studentA: status, studentB: status, coachA: status, coachB: status, admin: status });
const coachOnly = (ok: number): Record<Actor, number> => ({ anonymous: 401, studentA: 403, studentB: 403, coachA: ok, coachB: ok, admin: 403 });
const adminOnly = (ok: number): Record<Actor, number> => ({ anonymous: 401, studentA: 403, studentB: 403, coachA: 403, coachB: 403, admin: ok });
const slotQuery = (w: World) =>
  `coachId=${w.coachA.id}&offeringId=${w.coachA.offeringId}&from=${encodeURIComponent(futureHour(1).toISOString())}&to=${encodeURIComponent(futureHour(3).toISOString())}&timeZone=UTC`;

let slot = 0;
export const API_ROUTES: ApiRow[] = [
  { name: "who is signed in", method: "GET", path: () => "/api/me", handler: async () => (await import("@/app/api/me/route")).GET as RouteHandler, expect: everyone(200) },
  {
    name: "sign up", method: "POST", path: () => "/api/accounts", handler: async () => (await import("@/app/api/accounts/route")).POST as RouteHandler,
    body: () => ({ role: "STUDENT", name: "New Person", email: `new-${Date.now()}-${slot++}@example.com`, password: "long-enough-pw", timeZone: "UTC" }),
    expect: { anonymous: 201, studentA: 409, studentB: 409, coachA: 409, coachB: 409, admin: 409 },
  },
  {
    name: "available slots", method: "GET", path: (w) => `/api/calcom/available-slots?${slotQuery(w)}`,
    handler: async () => (await import("@/app/api/calcom/available-slots/route")).GET as RouteHandler, expect: everyone(200),
  },
  {
    name: "create booking", method: "POST", path: () => "/api/calcom/create-booking", handler: async () => (await import("@/app/api/calcom/create-booking/route")).POST as RouteHandler,
    // A new slot each time; other actors are refused before the slot matters.
    body: (w) => ({ offeringId: w.coachA.offeringId, start: futureHour(20 + (slot++ % 300), 10).toISOString(), timeZone: "UTC" }),
    expect: { anonymous: 401, studentA: 201, studentB: 201, coachA: 403, coachB: 403, admin: 403 },
  },
  {
    name: "confirm booking (student A's)", method: "POST", path: () => "/api/calcom/confirm-booking", handler: async () => (await import("@/app/api/calcom/confirm-booking/route")).POST as RouteHandler,
    body: (w) => ({ bookingId: w.bookingA }),
    expect: { anonymous: 401, studentA: 200, studentB: 404, coachA: 200, coachB: 404, admin: 403 },
  },
  {
    // A dry run changes nothing, so every actor sees the same hold; admins may cancel any booking.
    name: "cancel booking, dry run (student A's)", method: "POST", path: () => "/api/calcom/cancel-booking", handler: async () => (await import("@/app/api/calcom/cancel-booking/route")).POST as RouteHandler,
    body: (w) => ({ bookingId: w.bookingA, dryRun: true }),
    expect: { anonymous: 401, studentA: 200, studentB: 404, coachA: 200, coachB: 404, admin: 200 },
  },
  {
    // Booking A is an unpaid hold: those who may act on it are told it cannot be moved yet (409).
    name: "reschedule booking, dry run (student A's)", method: "POST", path: () => "/api/calcom/reschedule-booking", handler: async () => (await import("@/app/api/calcom/reschedule-booking/route")).POST as RouteHandler,
    body: (w) => ({ bookingId: w.bookingA, start: futureHour(9).toISOString(), timeZone: "UTC", dryRun: true }),
    expect: { anonymous: 401, studentA: 409, studentB: 404, coachA: 409, coachB: 404, admin: 409 },
  },
  { name: "coach policy", method: "GET", path: () => "/api/coach/policy", handler: async () => (await import("@/app/api/coach/policy/route")).GET as RouteHandler, expect: coachOnly(200) },
  {
    name: "save coach policy", method: "PUT", path: () => "/api/coach/policy", handler: async () => (await import("@/app/api/coach/policy/route")).PUT as RouteHandler,
    body: () => ({ fullRefundHoursBefore: 24, partialRefundHoursBefore: 2, lateCancelRefundPercent: 50, rescheduleCutoffHours: 12, maxReschedules: 2 }), expect: coachOnly(200),
  },
  {
    name: "create event type", method: "POST", path: () => "/api/calcom/create-event-type", handler: async () => (await import("@/app/api/calcom/create-event-type/route")).POST as RouteHandler,
    body: (w) => ({ offeringId: w.coachA.offeringId }),
    // Cal.com is not configured in these tests: coaches get the clear 409.
    expect: coachOnly(409),
  },
  { name: "sync availability", method: "POST", path: () => "/api/calcom/sync-availability", handler: async () => (await import("@/app/api/calcom/sync-availability/route")).POST as RouteHandler, body: () => ({}), expect: coachOnly(409) },
  { name: "sync status", method: "GET", path: () => "/api/calcom/sync-availability", handler: async () => (await import("@/app/api/calcom/sync-availability/route")).GET as RouteHandler, expect: coachOnly(200) },
  { name: "read availability", method: "GET", path: () => "/api/coach/availability", handler: async () => (await import("@/app/api/coach/availability/route")).GET as RouteHandler, expect: coachOnly(200) },
  {
    name: "save availability", method: "PUT", path: () => "/api/coach/availability", handler: async () => (await import("@/app/api/coach/availability/route")).PUT as RouteHandler,
    body: () => ({ timeZone: "UTC", weeklyRules: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })), dateOverrides: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, bookingHorizonDays: 365, slotIntervalMinutes: null }),
    expect: coachOnly(200),
  },
  { name: "list offerings", method: "GET", path: () => "/api/coach/offerings", handler: async () => (await import("@/app/api/coach/offerings/route")).GET as RouteHandler, expect: coachOnly(200) },
  {
    name: "create offering", method: "POST", path: () => "/api/coach/offerings", handler: async () => (await import("@/app/api/coach/offerings/route")).POST as RouteHandler,
    body: () => ({ title: "Extra session", description: "", durationMinutes: 60, price: "50.00", currency: "eur" }), expect: coachOnly(201),
  },
  {
    name: "edit offering (coach A's)", method: "PATCH", path: (w) => `/api/coach/offerings/${w.coachA.offeringId}`,
    handler: async () => (await import("@/app/api/coach/offerings/[id]/route")).PATCH as RouteHandler, params: (w) => ({ id: w.coachA.offeringId }),
    body: () => ({ description: "Updated" }), expect: { anonymous: 401, studentA: 403, studentB: 403, coachA: 200, coachB: 404, admin: 403 },
  },
  {
    name: "health", method: "GET", path: () => "/api/health", handler: async () => (await import("@/app/api/health/route")).GET as RouteHandler, expect: everyone(200),
  },
  { name: "operations overview", method: "GET", path: () => "/api/admin/operations", handler: async () => (await import("@/app/api/admin/operations/route")).GET as RouteHandler, expect: adminOnly(200) },
  {
    name: "retry a job (unknown id)", method: "POST", path: () => "/api/admin/jobs/retry", handler: async () => (await import("@/app/api/admin/jobs/retry/route")).POST as RouteHandler,
    body: () => ({ jobId: "no-such-job" }), expect: adminOnly(404),
  },
  {
    name: "resolve a finding (unknown id)", method: "POST", path: () => "/api/admin/findings/resolve", handler: async () => (await import("@/app/api/admin/findings/resolve/route")).POST as RouteHandler,
    body: () => ({ findingId: "no-such-finding" }), expect: adminOnly(404),
  },
  { name: "reconcile now", method: "POST", path: () => "/api/admin/reconcile", handler: async () => (await import("@/app/api/admin/reconcile/route")).POST as RouteHandler, body: () => ({}), expect: adminOnly(200) },
  {
    name: "Stripe webhook (unsigned)", method: "POST", path: () => "/api/webhooks/stripe", handler: async () => (await import("@/app/api/webhooks/stripe/route")).POST as RouteHandler,
    body: () => ({ id: "evt_1", type: "checkout.session.completed", data: { object: {} } }), expect: everyone(400), signed: "stripe",
  },
  {
    name: "Cal.com webhook (unsigned)", method: "POST", path: () => "/api/webhooks/calcom", handler: async () => (await import("@/app/api/webhooks/calcom/route")).POST as RouteHandler,
    body: () => ({ triggerEvent: "BOOKING_CREATED", createdAt: new Date().toISOString(), payload: { uid: "x" } }), expect: everyone(400), signed: "calcom",
  },
];

/** Every page, as a table. Outcomes: rendered, redirected to sign-in or /forbidden, or the 404 page. */
export type PageOutcome = "ok" | "signin" | "forbidden" | "notFound" | "home";
export interface PageRow {
  name: string;
  page: () => Promise<(props: never) => unknown>;
  props: (w: World) => { params?: Record<string, string>; searchParams?: Record<string, string> };
  expect: Record<Actor, PageOutcome>;
}

const open = (outcome: PageOutcome = "ok") => ({ anonymous: outcome, studentA: outcome, studentB: outcome, coachA: outcome, coachB: outcome, admin: outcome });
const studentPage = { anonymous: "signin", studentA: "ok", studentB: "ok", coachA: "forbidden", coachB: "forbidden", admin: "forbidden" } as const;
const coachPage = { anonymous: "signin", studentA: "forbidden", studentB: "forbidden", coachA: "ok", coachB: "ok", admin: "forbidden" } as const;
const adminPage = { anonymous: "signin", studentA: "forbidden", studentB: "forbidden", coachA: "forbidden", coachB: "forbidden", admin: "ok" } as const;

export const PAGES: PageRow[] = [
  { name: "/ (coach list page 1)", page: async () => (await import("@/app/page/[page]/page")).default as never, props: () => ({ params: { page: "1" } }), expect: open() },
  { name: "/page/[not a page]", page: async () => (await import("@/app/page/[page]/page")).default as never, props: () => ({ params: { page: "02" } }), expect: open("notFound") },
  { name: "/signin", page: async () => (await import("@/app/signin/page")).default as never, props: () => ({ searchParams: {} }), expect: { ...open("home"), anonymous: "ok" } },
  { name: "/signup", page: async () => (await import("@/app/signup/page")).default as never, props: () => ({}), expect: { ...open("home"), anonymous: "ok" } },
  { name: "/forbidden", page: async () => (await import("@/app/forbidden/page")).default as never, props: () => ({}), expect: open() },
  { name: "/coaches/[slug]", page: async () => (await import("@/app/coaches/[slug]/page")).default as never, props: (w) => ({ params: { slug: w.coachA.slug } }), expect: open() },
  { name: "/coaches/[unknown slug]", page: async () => (await import("@/app/coaches/[slug]/page")).default as never, props: () => ({ params: { slug: "no-such-coach" } }), expect: open("notFound") },
  { name: "/coaches/[NUL slug]", page: async () => (await import("@/app/coaches/[slug]/page")).default as never, props: () => ({ params: { slug: "a\u0000b" } }), expect: open("notFound") },
  { name: "/coach", page: async () => (await import("@/app/coach/(home)/page")).default as never, props: () => ({}), expect: coachPage },
  { name: "/admin/operations", page: async () => (await import("@/app/admin/operations/page")).default as never, props: () => ({}), expect: adminPage },
  { name: "/coach/availability", page: async () => (await import("@/app/coach/availability/page")).default as never, props: () => ({}), expect: coachPage },
  { name: "/coach/bookings", page: async () => (await import("@/app/coach/bookings/(list)/page")).default as never, props: () => ({}), expect: coachPage },
  { name: "/coach/policy", page: async () => (await import("@/app/coach/policy/page")).default as never, props: () => ({}), expect: coachPage },
  { name: "/coach/offerings", page: async () => (await import("@/app/coach/offerings/page")).default as never, props: () => ({}), expect: coachPage },
  { name: "/student/bookings", page: async () => (await import("@/app/student/bookings/(list)/page")).default as never, props: () => ({}), expect: studentPage },
  // The old picker address redirects to the public picker under the coach's page (the /student layout still guards it in Next).
  { name: "/student/bookings/new", page: async () => (await import("@/app/student/bookings/new/page")).default as never, props: (w) => ({ searchParams: { coach: w.coachA.id, offering: w.coachA.offeringId } }), expect: open("home") },
  { name: "/coaches/[slug]/book", page: async () => (await import("@/app/coaches/[slug]/book/page")).default as never, props: (w) => ({ params: { slug: w.coachA.slug }, searchParams: { offering: w.coachA.offeringId } }), expect: open() },
  { name: "/profile", page: async () => (await import("@/app/profile/page")).default as never, props: () => ({}), expect: { ...open(), anonymous: "signin" } },
  {
    name: "/coach/bookings/[id] (coach A's)", page: async () => (await import("@/app/coach/bookings/[id]/page")).default as never,
    props: (w) => ({ params: { id: w.bookingA } }), expect: { ...coachPage, coachB: "notFound" },
  },
  {
    name: "/coach/bookings/[unknown id]", page: async () => (await import("@/app/coach/bookings/[id]/page")).default as never,
    props: () => ({ params: { id: "no-such-booking" } }), expect: { ...coachPage, coachA: "notFound", coachB: "notFound" },
  },
  {
    name: "/student/bookings/[id] (student A's)", page: async () => (await import("@/app/student/bookings/[id]/page")).default as never,
    props: (w) => ({ params: { id: w.bookingA }, searchParams: {} }), expect: { ...studentPage, studentB: "notFound" },
  },
  {
    name: "/student/bookings/[unknown id]", page: async () => (await import("@/app/student/bookings/[id]/page")).default as never,
    props: () => ({ params: { id: "no-such-booking" }, searchParams: {} }), expect: { ...studentPage, studentA: "notFound", studentB: "notFound" },
  },
  {
    name: "/student/bookings/[NUL id]", page: async () => (await import("@/app/student/bookings/[id]/page")).default as never,
    props: () => ({ params: { id: "x\u0000y" }, searchParams: {} }), expect: open("notFound"),
  },
];
