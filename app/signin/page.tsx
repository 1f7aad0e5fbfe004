import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser, homeFor, safeCallbackPath } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

// Per request: it reads the session, and pages outside proxy.ts's cached public ones carry a per-request CSP nonce.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const user = await getSessionUser();
  const { callbackUrl } = await searchParams;
  const next = safeCallbackPath(callbackUrl);
  if (user) redirect(next ?? homeFor(user.role));
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">
        New here? <Link href={next ? `/signup?callbackUrl=${encodeURIComponent(next)}` : "/signup"} className="font-medium text-brand-600 hover:underline">Create an account</Link>.
      </p>
      <SignInForm callbackUrl={next} />
    </div>
  );
}
