import { NextResponse } from "next/server";
import { AppError, errorBody } from "@/lib/errors";
import { readBodyText } from "@/lib/http/body";
import { clearFailures, clientAddress, lockedFor, rateLimited, recordFailure } from "@/lib/rate-limit";

/**
 * Growing delays for sign-in (lib/rate-limit/limits.ts): before next-auth checks a password, the account and the
 * client address must not be locked; after a failure both are counted (past a few failures each one doubles the
 * lock); a success clears the account's count. Wraps next-auth's credentials callback in app/api/auth.
 */
const CREDENTIALS_CALLBACK = /\/api\/auth\/callback\/credentials\/?$/;

/** next-auth answers 500 ("not supported") to a GET of the credentials callback: it is a 405. */
export function assertAuthMethod(req: Request) {
  if (req.method !== "POST" && CREDENTIALS_CALLBACK.test(new URL(req.url).pathname)) {
    throw new AppError("METHOD_NOT_ALLOWED", "Sign in with a POST from the sign-in form.");
  }
}

export function isCredentialsSignIn(req: Request) {
  return req.method === "POST" && CREDENTIALS_CALLBACK.test(new URL(req.url).pathname);
}

/** A sign-in or sign-out form: an email, a password and a CSRF token. */
const AUTH_BODY_LIMIT_BYTES = 10_000;

/**
 * next-auth reads a JSON body with req.json() and fails on anything that is not a JSON object (a 500): such
 * bodies, NUL characters and oversized bodies are refused here with a 400 first.
 */
export async function assertAuthBody(req: Request): Promise<void> {
  if (req.method !== "POST") return;
  const mediaType = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const text = await readBodyText(req.clone(), AUTH_BODY_LIMIT_BYTES);
  if (text.includes("\u0000") || /%00/.test(text) || /\\u0000/i.test(text)) throw new AppError("VALIDATION", "Text cannot contain a NUL character.");
  if (mediaType !== "application/json") return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new AppError("BAD_REQUEST", "The request body must be a JSON object.");
}

/** The email a sign-in attempt names (form or JSON body), lower-cased; "" when there is none. */
export async function attemptedEmail(req: Request): Promise<string> {
  const mediaType = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const text = await readBodyText(req.clone(), AUTH_BODY_LIMIT_BYTES);
  let email: unknown = "";
  if (mediaType === "application/json") {
    try {
      email = (JSON.parse(text) as { email?: unknown } | null)?.email;
    } catch {
      throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
    }
  } else {
    email = new URLSearchParams(text).get("email");
  }
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 254) : "";
}

// An unknown address (no proxy header) is not a key: see clientAddress.
const keys = (email: string, req: Request) => {
  const ip = clientAddress(req.headers);
  return { account: email ? `email:${email}` : "", address: ip ? `ip:${ip}` : "" };
};

/** A 429 the next-auth client understands: the one JSON error shape plus the `url` its signIn() reads the error from. */
export async function signInLockResponse(req: Request, email: string): Promise<Response | null> {
  const { account, address } = keys(email, req);
  const wait = Math.max(account ? await lockedFor("signInFailuresPerAccount", account) : 0, address ? await lockedFor("signInFailuresPerAddress", address) : 0);
  if (wait <= 0) return null;
  const error = rateLimited(wait, "Too many failed sign-in attempts.");
  const url = new URL("/signin", req.url);
  url.searchParams.set("error", "RateLimited");
  return NextResponse.json({ ...errorBody(error), url: url.toString() }, { status: 429, headers: { "retry-after": String(wait) } });
}

/**
 * next-auth's client reads `url` from every sign-in answer (it throws without one). A sign-in refused because the
 * database is unreachable (503 + Retry-After from the route wrapper; the limiter fails closed) keeps its status,
 * headers and error body and gets a `url` naming the error, so the form can say so.
 */
export async function withSignInErrorUrl(req: Request, response: Response): Promise<Response> {
  if (!isCredentialsSignIn(req) || response.status !== 503) return response;
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const url = new URL("/signin", req.url);
  url.searchParams.set("error", "ServiceUnavailable");
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return NextResponse.json({ ...body, url: url.toString() }, { status: response.status, headers });
}

/** next-auth answers a failed credentials sign-in with 401 (JSON) or a redirect carrying `error=`. */
export function signInFailed(response: Response): boolean {
  if (response.status === 401) return true;
  const location = response.headers.get("location") ?? "";
  return response.status >= 300 && response.status < 400 && /[?&]error=/.test(location);
}

export async function recordSignInOutcome(req: Request, email: string, response: Response) {
  const { account, address } = keys(email, req);
  if (signInFailed(response)) {
    if (account) await recordFailure("signInFailuresPerAccount", account);
    if (address) await recordFailure("signInFailuresPerAddress", address);
  } else if (response.status < 300 && account) {
    await clearFailures("signInFailuresPerAccount", account);
  }
}
