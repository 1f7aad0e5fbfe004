import { NextResponse, type NextRequest } from "next/server";
import { ZodError, type ZodType } from "zod";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { AppError, errorBody } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Role } from "@/lib/generated/prisma/enums";

/** "anonymous": public and never looks at the session, so the answer is the same for everyone (cacheable). */
type Access = "anonymous" | "public" | "signed-in" | Role | Role[];

interface Context<P> {
  req: NextRequest;
  params: P;
}

type Handler<P, U> = (ctx: Context<P> & { user: U }) => Promise<unknown>;

/**
 * The one wrapper every route handler goes through: it resolves the caller, enforces the role
 * (401 when signed out, 403 for the wrong role), maps AppError and zod errors to the JSON error shape,
 * and turns anything unexpected into a logged 500 that leaks nothing.
 */
export function route<P = Record<string, string>>(access: "anonymous", handler: Handler<P, null>): (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;
export function route<P = Record<string, string>>(access: "public", handler: Handler<P, SessionUser | null>): (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;
export function route<P = Record<string, string>>(access: Exclude<Access, "public" | "anonymous">, handler: Handler<P, SessionUser>): (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function route<P>(access: Access, handler: Handler<P, any>) {
  return async (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      assertSameOrigin(req);
      const user = access === "anonymous" ? null : await getSessionUser();
      if (access !== "public" && access !== "anonymous") {
        if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
        const allowed = access === "signed-in" ? null : Array.isArray(access) ? access : [access];
        if (allowed && !allowed.includes(user.role)) throw new AppError("FORBIDDEN", "Your account cannot do this.");
      }
      const params = ((await ctx?.params) ?? {}) as P;
      const result = await handler({ req, params, user });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error, req);
    }
  };
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

export function errorResponse(error: unknown, req?: Request): Response {
  if (error instanceof AppError) {
    if (error.status >= 500) log.warn("request failed", { path: req ? new URL(req.url).pathname : undefined, code: error.code, message: error.message });
    return NextResponse.json(errorBody(error), { status: error.status });
  }
  if (error instanceof ZodError) {
    return NextResponse.json(errorBody(validationError(error)), { status: 400 });
  }
  log.error("unhandled error in route", { path: req ? new URL(req.url).pathname : undefined, error });
  return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong on our side. Please try again." } }, { status: 500 });
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

/** Parses a JSON body with a zod schema; malformed JSON and wrong types are 400s, never 500s. */
export async function parseJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  const mediaType = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const text = await req.text();
  if (text !== "" && mediaType !== "application/json") throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
  if (text.length > 100_000) throw new AppError("PAYLOAD_TOO_LARGE", "The request body is too large.");
  let raw: unknown;
  try {
    raw = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function parseQuery<T>(req: Request, schema: ZodType<T>): T {
  const params = Object.fromEntries(new URL(req.url).searchParams.entries());
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
