import { NextResponse } from "next/server";
import { createAccount } from "@/lib/accounts/service";
import { signUpSchema } from "@/lib/accounts/schemas";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";

/** Sign-up. Signed-in users cannot create another account from their session. */
export const POST = route("public", async ({ req, user }) => {
  if (user) throw new AppError("CONFLICT", "You are already signed in. Sign out to create another account.");
  const input = await parseJson(req, signUpSchema);
  const account = await createAccount(input);
  return NextResponse.json({ account }, { status: 201 });
}, { rateLimit: "signUp" });
