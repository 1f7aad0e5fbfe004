import NextAuth from "next-auth";
import { assertAuthBody, assertAuthMethod, attemptedEmail, isCredentialsSignIn, recordSignInOutcome, signInLockResponse, withSignInErrorUrl } from "@/lib/auth/sign-in-limits";
import { authOptions } from "@/lib/auth/options";
import { withRequest } from "@/lib/http/route";

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** next-auth, with sign-in growing delays and the JSON error shape for bad bodies (never a 500; 503 when the database is down). */
async function handler(req: Request, ctx: Ctx) {
  const response = await withRequest(req, async () => {
    assertAuthMethod(req);
    await assertAuthBody(req);
    if (!isCredentialsSignIn(req)) return NextAuth(authOptions())(req, ctx);
    const email = await attemptedEmail(req);
    const locked = await signInLockResponse(req, email);
    if (locked) return locked;
    const response: Response = await NextAuth(authOptions())(req, ctx);
    await recordSignInOutcome(req, email, response);
    return response;
  });
  return withSignInErrorUrl(req, response);
}

export { handler as GET, handler as POST };
