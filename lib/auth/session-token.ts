import { getToken, type JWT } from "next-auth/jwt";
import { cookies } from "next/headers";
import { authSecret } from "@/lib/env";
import { decodeSessionToken } from "./jwt";

/**
 * The session token (next-auth's JWT) of the request being served, or null: read from its cookie by next-auth's own
 * getToken (the cookie's name, its __Secure- prefix and chunking are next-auth's), decrypted with the kept key.
 * Only the cookie counts: no Authorization header is passed, so a bearer token is not a session, as with
 * getServerSession. Its own module so tests can stand in for the cookie (tests/integration/security-access-matrix).
 */
export async function readSessionToken(): Promise<JWT | null> {
  const jar = await cookies();
  const req = { headers: {}, cookies: Object.fromEntries(jar.getAll().map((c) => [c.name, c.value])) };
  return getToken({ req: req as unknown as Parameters<typeof getToken>[0]["req"], secret: authSecret(), decode: decodeSessionToken });
}
