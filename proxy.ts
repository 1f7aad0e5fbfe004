import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { decodeSessionToken } from "@/lib/auth/jwt";
import { databaseDownFor } from "@/lib/db/outage";
import { authSecret } from "@/lib/env";
import { requestIdFrom } from "@/lib/http/request-id";
import { baseSecurityHeaders, isStaticPage, newNonce, pageContentSecurityPolicy, staticPageContentSecurityPolicy } from "@/lib/http/security-headers";

/**
 * Runs before every page: a per-request CSP nonce (Next.js reads it from the request's CSP header and puts it on
 * its scripts), and the first gate for role pages: a real HTTP redirect before any rendering (signed out ->
 * /signin, wrong role -> /forbidden). The page layouts check again on the server; API routes answer 401/403 JSON
 * themselves. The public pages served from Next's page cache (isStaticPage) get a fixed CSP without nonce instead:
 * cached HTML cannot carry a per-request nonce (docs/SECURITY.md). Every other page must render per request.
 */
const AREAS: { prefix: string; role: "COACH" | "STUDENT" | "ADMIN" }[] = [
  { prefix: "/admin", role: "ADMIN" },
  { prefix: "/coach", role: "COACH" },
  { prefix: "/student", role: "STUDENT" },
];

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const cached = isStaticPage(pathname);
  const nonce = cached ? null : newNonce();
  const csp = nonce ? pageContentSecurityPolicy(nonce) : staticPageContentSecurityPolicy();
  // Pages get a request id too (API routes make their own in lib/http/route.ts).
  const requestId = requestIdFrom(req.headers);
  const secure = (response: NextResponse) => {
    response.headers.set("Content-Security-Policy", csp);
    response.headers.set("X-Request-Id", requestId);
    for (const [key, value] of Object.entries(baseSecurityHeaders())) response.headers.set(key, value);
    return response;
  };
  // The database was just found unreachable: a page that renders per request would fail into the error page (500);
  // say 503 with when to come back instead (lib/db/outage.ts). Pages from the page cache need no database.
  const downFor = cached ? 0 : databaseDownFor();
  if (downFor > 0) return secure(unavailablePage(Math.ceil(downFor / 1000)));
  const area = AREAS.find((a) => pathname === a.prefix || pathname.startsWith(`${a.prefix}/`));
  if (area) {
    const token = await getToken({ req, secret: authSecret(), decode: decodeSessionToken });
    if (!token?.uid) {
      const url = new URL("/signin", req.url);
      url.searchParams.set("callbackUrl", `${pathname}${search}`);
      return secure(NextResponse.redirect(url));
    }
    if (token.role !== area.role) return secure(NextResponse.redirect(new URL("/forbidden", req.url)));
  }
  const headers = new Headers(req.headers);
  if (nonce) {
    headers.set("x-nonce", nonce);
    headers.set("Content-Security-Policy", csp);
  } else {
    // Next.js takes a nonce from the request's CSP header: a client-sent one must not reach a cached page.
    headers.delete("x-nonce");
    headers.delete("Content-Security-Policy");
  }
  headers.set("x-request-id", requestId);
  return secure(NextResponse.next({ request: { headers } }));
}

/** A self-contained page (no scripts, no styles: nothing the CSP must allow) for a database outage. */
function unavailablePage(retryAfterSeconds: number): NextResponse {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Briefly unavailable · Coachbook</title></head><body><h1>Coachbook is briefly unavailable</h1><p>We cannot reach our database right now. Nothing you did caused this, and nothing was lost. Please try again in a few seconds.</p><p><a href="">Try again</a></p></body></html>`;
  return new NextResponse(html, { status: 503, headers: { "content-type": "text/html; charset=utf-8", "retry-after": String(Math.max(1, retryAfterSeconds)), "cache-control": "no-store" } });
}

// Pages only: API routes, Next's static files and public assets get the fixed headers of next.config.ts.
export const config = {
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon\\.ico|favicon\\.svg).*)" }],
};
