import { NextRequest } from "next/server";
import { useRequestHeaders } from "./next-headers-mock";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";

/**
 * A real credentials sign-in through next-auth's route handler (CSRF token, then the callback): the session cookie
 * ("name=value") a browser would get. Tests that send it run the real token decryption and account check.
 */
export async function signIn(email: string, password: string): Promise<string> {
  const csrfReq = new NextRequest("http://localhost/api/auth/csrf");
  useRequestHeaders(csrfReq.headers);
  const csrf = await authGet(csrfReq, { params: Promise.resolve({ nextauth: ["csrf"] }) });
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const req = new NextRequest("http://localhost/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken: (await csrf.json()).csrfToken, email, password, json: "true" }).toString(),
  });
  useRequestHeaders(req.headers);
  const response = await authPost(req, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
  const session = response.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error("no session cookie");
  return session.split(";")[0];
}
