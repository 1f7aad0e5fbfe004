import { getToken, type JWT } from "next-auth/jwt";
import { cookies } from "next/headers";
import { authSecret } from "@/lib/env";
import { decodeSessionToken } from "./jwt";

/** Cookies as NextRequest.cookies and next/headers' cookies() both give them. */
export interface CookieSource {
  getAll(): { name: string; value: string }[];
}

/**
 * The session token (next-auth's JWT) of the request being served, or null: read from its cookie by next-auth's own
 * getToken (the cookie's name, its __Secure- prefix and chunking are next-auth's), decrypted with the kept key.
 * Only the cookie counts: no Authorization header is passed, so a bearer token is not a session, as with
 * getServerSession. Its own module so tests can stand in for the cookie (tests/integration/security-access-matrix).
 */
export async function readSessionToken(requestCookies?: CookieSource): Promise<JWT | null> {
  // A route handler passes its request's own cookies (NextRequest.cookies): the same parse of the same header,
  // without next/headers' request-scoped mutable cookie store (about 1% of create-booking's CPU, bench/profile.ts).
  const jar = requestCookies ?? (await cookies());
  const req = { headers: {}, cookies: Object.fromEntries(jar.getAll().map((c) => [c.name, c.value])) };
  return getToken({ req: req as unknown as Parameters<typeof getToken>[0]["req"], secret: authSecret(), decode: decodeSessionToken });
}
