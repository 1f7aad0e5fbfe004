import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser, homeFor, safeCallbackPath } from "@/lib/auth/session";
import { supportedTimeZones } from "@/lib/time/zones";
import { SignUpForm } from "./sign-up-form";

// Per request: it reads the session, and pages outside proxy.ts's cached public ones carry a per-request CSP nonce.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const user = await getSessionUser();
  const next = safeCallbackPath((await searchParams).callbackUrl);
  if (user) redirect(next ?? homeFor(user.role));
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Create your account</h1>
      <p className="mt-1 text-sm text-slate-600">Coaches offer sessions; students book them.</p>
      <SignUpForm timeZones={supportedTimeZones()} callbackUrl={next} />
    </div>
  );
}
