import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { authSecret } from "@/lib/env";

/**
 * First gate for role pages: a real HTTP redirect before any rendering (signed out -> /signin, wrong role ->
 * /forbidden). The page layouts check again on the server; API routes answer 401/403 JSON themselves.
 */
const AREAS: { prefix: string; role: "COACH" | "STUDENT" | "ADMIN" }[] = [
  { prefix: "/admin", role: "ADMIN" },
  { prefix: "/coach", role: "COACH" },
  { prefix: "/student", role: "STUDENT" },
];

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const area = AREAS.find((a) => pathname === a.prefix || pathname.startsWith(`${a.prefix}/`));
  if (!area) return NextResponse.next();
  const token = await getToken({ req, secret: authSecret() });
  if (!token?.uid) {
    const url = new URL("/signin", req.url);
    url.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(url);
  }
  if (token.role !== area.role) return NextResponse.redirect(new URL("/forbidden", req.url));
  return NextResponse.next();
}

export const config = { matcher: ["/admin/:path*", "/admin", "/coach/:path*", "/coach", "/student/:path*", "/student"] };
