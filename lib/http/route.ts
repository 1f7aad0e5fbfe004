import { NextResponse, type NextRequest } from "next/server";
import { ZodError, type ZodType } from "zod";
import { getSessionUser, readSessionAccount, readSessionClaims, sessionUserFrom, type PendingCaller, type SessionUser } from "@/lib/auth/session";
import { isDatabaseUnreachable, sqlState } from "@/lib/db/errors";
import { noteDatabaseUnreachable } from "@/lib/db/outage";
import { AppError, errorBody } from "@/lib/errors";
import { log } from "@/lib/log";
import { clientAddress, consume, type RateLimitName } from "@/lib/rate-limit";
import type { Role } from "@/lib/generated/prisma/enums";
import { API_BODY_LIMIT_BYTES, readBodyText } from "./body";
import { assertNoNul } from "./input";
import { requestIdFrom, withRequestContext } from "./request-context";

/** "anonymous": public and never looks at the session, so the answer is the same for everyone (cacheable). */
type Access = "anonymous" | "public" | "signed-in" | Role | Role[];

interface Context<P> {
  req: NextRequest;
  params: P;
}

type Handler<P, U> = (ctx: Context<P> & { user: U }) => Promise<unknown>;

/** Limits the wrapper applies before the handler: per signed-in account and/or per client address (lib/rate-limit/limits.ts). */
type RouteLimit = "createBooking" | "confirmBooking" | "bookingChange" | "availableSlots" | "signUp";
type CountedLimit = Exclude<RateLimitName, `signInFailures${string}`>;
const ROUTE_LIMITS: Record<RouteLimit, { perAccount?: CountedLimit; perAddress?: CountedLimit; message: string }> = {
  createBooking: { perAccount: "createBookingPerAccount", perAddress: "createBookingPerAddress", message: "You have started many bookings in a short time." },
  confirmBooking: { perAccount: "confirmBookingPerClient", message: "Too many payment checks in a short time." },
  bookingChange: { perAccount: "bookingChangePerAccount", message: "Too many cancel or reschedule requests in a short time." },
  availableSlots: { perAddress: "availableSlotsPerClient", message: "Too many slot look-ups in a short time." },
  signUp: { perAddress: "signUpPerAddress", message: "Too many sign-ups from your network." },
};

interface RouteOptions {
  rateLimit?: RouteLimit;
}

/**
 * The one wrapper every route handler goes through: it gives the request an id (X-Request-Id, and on every log
 * line), resolves the caller, enforces the role (401 when signed out, 403 for the wrong role), applies the route's
 * rate limit (429 + Retry-After), maps AppError, zod and database input errors to the JSON error shape, an unreachable
 * database to 503 + Retry-After, and turns anything unexpected into a logged 500 that leaks nothing.
 */
type Wrapped<P> = (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;
export function route<P = Record<string, string>>(access: "anonymous", handler: Handler<P, null>, options?: RouteOptions): Wrapped<P>;
export function route<P = Record<string, string>>(access: "public", handler: Handler<P, SessionUser | null>, options?: RouteOptions): Wrapped<P>;
export function route<P = Record<string, string>>(access: Exclude<Access, "public" | "anonymous">, handler: Handler<P, SessionUser>, options?: RouteOptions): Wrapped<P>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function route<P>(access: Access, handler: Handler<P, any>, options: RouteOptions = {}) {
  return (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> =>
    withRequest(req, async () => {
      assertSameOrigin(req);
      const user = access === "anonymous" ? null : await getSessionUser(req.cookies);
      if (access !== "public" && access !== "anonymous") {
        if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
        const allowed = access === "signed-in" ? null : Array.isArray(access) ? access : [access];
        if (allowed && !allowed.includes(user.role)) throw new AppError("FORBIDDEN", "Your account cannot do this.");
      }
      if (options.rateLimit) await applyRouteLimit(options.rateLimit, req, user);
      const params = ((await ctx?.params) ?? {}) as P;
      const result = await handler({ req, params, user });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    });
}

/**
 * route() for a hot write whose handler reads before it writes (create-booking): the account read rides on the
 * handler's first statement instead of being a statement of its own, one database round trip less per request
 * (docs/BENCHMARKS.md, ninth pass). Before the handler: same origin and a decryptable session token (else 401).
 * The handler calls `caller.admit` with the account row its first read carried, before it writes or answers
 * anything that depends on the caller; admit applies what route() applies before a handler, in its order: the
 * session rule (401), the role (403), the route's rate limits (429, per account then per address).
 *
 * The answers are route()'s, in the same precedence: if the handler fails before admitting (a malformed body, an
 * unknown offering), the caller is admitted here (one account read, on error paths only) and a 401/403/429 wins
 * over the handler's error, so a revoked session still gets 401 and every request counts against the account's
 * limit whatever its body. An answer without admission is a programming error: a 500, never sent as it is.
 */
export function routeWithAccountRead<P = Record<string, string>>(
  access: Role | Role[],
  handler: (ctx: Context<P> & { caller: PendingCaller }) => Promise<unknown>,
  options: RouteOptions = {},
): Wrapped<P> {
  const allowed = Array.isArray(access) ? access : [access];
  return (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> =>
    withRequest(req, async () => {
      assertSameOrigin(req);
      const claims = await readSessionClaims(req.cookies);
      if (!claims) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
      let admitted: SessionUser | null = null;
      let admitTried = false;
      const caller: PendingCaller = {
        id: claims.uid,
        admit: async (account) => {
          if (admitted) return admitted;
          admitTried = true;
          const user = sessionUserFrom(claims, account === undefined ? await readSessionAccount(claims.uid) : account);
          if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
          if (!allowed.includes(user.role)) throw new AppError("FORBIDDEN", "Your account cannot do this.");
          if (options.rateLimit) await applyRouteLimit(options.rateLimit, req, user);
          admitted = user;
          return user;
        },
      };
      let result: unknown;
      try {
        const params = ((await ctx?.params) ?? {}) as P;
        result = await handler({ req, params, caller });
      } catch (error) {
        if (!admitTried) await caller.admit(undefined); // a refused admission is the error already
        throw error;
      }
      if (!admitted) throw new Error("routeWithAccountRead: the handler answered without admitting its caller");
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    });
}

/** Runs `work` with a request id in context; errors become the JSON error shape; the id goes back as X-Request-Id. */
export async function withRequest(req: Request, work: () => Promise<Response>): Promise<Response> {
  const requestId = requestIdFrom(req.headers);
  const started = performance.now();
  return withRequestContext({ requestId }, async () => {
    let response: Response;
    try {
      response = await work();
    } catch (error) {
      response = errorResponse(error, req);
    }
    try {
      response.headers.set("x-request-id", requestId);
    } catch {
      // Immutable headers (a fetched Response passed through): rebuild it.
      response = new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
      response.headers.set("x-request-id", requestId);
    }
    // Errors are never cached (next.config.ts leaves the public slot route's caching to the route, errors included).
    if (response.status >= 400 && !response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
    // One access line per request (the request id comes from the context, like every other line of it).
    log.info("request", { method: req.method, path: safePath(req), status: response.status, ms: Math.round(performance.now() - started) });
    return response;
  });
}

async function applyRouteLimit(name: RouteLimit, req: Request, user: SessionUser | null) {
  const limit = ROUTE_LIMITS[name];
  if (limit.perAccount && user) await consume(limit.perAccount, `user:${user.id}`, limit.message);
  const address = clientAddress(req.headers);
  if (limit.perAddress && address) await consume(limit.perAddress, `ip:${address}`, limit.message);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated writes must come from our own pages. Browsers send Origin on cross-site POSTs; one that
 * names another site is refused (on top of next-auth's SameSite=Lax cookies). Server-to-server callers send no
 * Origin and are judged by their credentials as usual.
 */
function assertSameOrigin(req: Request) {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const allowed = new Set<string>([new URL(req.url).origin]);
  if (host) allowed.add(`${req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "")}://${host}`);
  if (process.env.APP_URL) allowed.add(new URL(process.env.APP_URL).origin);
  if (!allowed.has(origin)) throw new AppError("FORBIDDEN", "Cross-site requests are not allowed.");
}

/**
 * Database errors caused by the input (the edge schemas should catch these first; this is the safety net):
 * text PostgreSQL cannot store, dates out of its range, malformed values -> 400; a unique race -> 409.
 */
const DB_INPUT_ERRORS: Record<string, AppError> = {
  "22P05": new AppError("VALIDATION", "The request contains text that cannot be stored (for example a NUL character)."),
  "22021": new AppError("VALIDATION", "The request contains text that cannot be stored (for example a NUL character)."),
  "22008": new AppError("VALIDATION", "A date in the request is out of range."),
  "22007": new AppError("VALIDATION", "A date in the request is malformed."),
  "22003": new AppError("VALIDATION", "A number in the request is out of range."),
  "22001": new AppError("VALIDATION", "A value in the request is too long."),
  "22P02": new AppError("VALIDATION", "A value in the request is malformed."),
  "23505": new AppError("CONFLICT", "This was just changed by another request. Please try again."),
  // Two transactions waiting on each other (PostgreSQL aborted this one, so nothing of it was written): racing
  // writes to the exclusion constraint can do that (lib/booking/hold.ts). The other request won; trying again is safe.
  "40P01": new AppError("CONFLICT", "This was just changed by another request. Please try again."),
  "40001": new AppError("CONFLICT", "This was just changed by another request. Please try again."),
};

/**
 * How long a client should wait when PostgreSQL is unreachable (a restart or fail-over takes seconds). Everything
 * that needs the database answers 503 then, the rate limiters included: a limiter that cannot count refuses
 * (fails closed) rather than let unlimited sign-in attempts through.
 */
export const DATABASE_DOWN_RETRY_AFTER_SECONDS = 5;

export function databaseUnavailable(): AppError {
  return new AppError("SERVICE_UNAVAILABLE", "The service is briefly unavailable. Please try again in a few seconds.", { retryAfterSeconds: DATABASE_DOWN_RETRY_AFTER_SECONDS });
}

export function errorResponse(error: unknown, req?: Request): Response {
  const path = req ? safePath(req) : undefined;
  if (error instanceof AppError) {
    if (error.status >= 500) log.warn("request failed", { path, code: error.code, reason: error.message });
    return appErrorResponse(error);
  }
  if (error instanceof ZodError) {
    return NextResponse.json(errorBody(validationError(error)), { status: 400 });
  }
  const state = sqlState(error);
  const mapped = state ? DB_INPUT_ERRORS[state] : undefined;
  if (mapped) {
    log.warn("database refused the input", { path, sqlState: state, error });
    return NextResponse.json(errorBody(mapped), { status: mapped.status });
  }
  if (isDatabaseUnreachable(error)) {
    // One line per refused request, with the driver's error and its cause chain.
    log.error("database unreachable", { path, error });
    noteDatabaseUnreachable(); // pages answer 503 too for a few seconds (lib/db/outage.ts)
    return appErrorResponse(databaseUnavailable());
  }
  log.error("unhandled error in route", { path, error });
  return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong on our side. Please try again." } }, { status: 500 });
}

/** The JSON error shape; an error that says when to come back (429, 503) also sets Retry-After. */
function appErrorResponse(error: AppError): Response {
  const headers = new Headers();
  const retryAfter = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (typeof retryAfter === "number" && retryAfter > 0) headers.set("retry-after", String(Math.ceil(retryAfter)));
  return NextResponse.json(errorBody(error), { status: error.status, headers });
}

function safePath(req: Request) {
  try {
    return new URL(req.url).pathname;
  } catch {
    return undefined;
  }
}

export function validationError(error: ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    if (!fields[key]) fields[key] = issue.message;
  }
  const first = error.issues[0];
  const message = first ? `${first.path.length ? `${first.path.join(".")}: ` : ""}${first.message}` : "Invalid input.";
  return new AppError("VALIDATION", message, { fields });
}

/** Parses a JSON body with a zod schema; malformed JSON, NUL characters and wrong types are 400s, never 500s. */
export async function parseJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  const mediaType = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const text = await readBodyText(req, API_BODY_LIMIT_BYTES);
  if (text !== "" && mediaType !== "application/json") throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
  let raw: unknown;
  try {
    raw = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
  assertNoNul(raw);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function parseQuery<T>(req: Request, schema: ZodType<T>): T {
  const params = Object.fromEntries(new URL(req.url).searchParams.entries());
  assertNoNul(params);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
