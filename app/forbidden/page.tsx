import type { Metadata } from "next";
import Link from "next/link";

// Rendered per request like every page outside proxy.ts's STATIC_PAGES: those pages get a per-request nonce CSP,
// which prerendered HTML could not carry.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Not allowed" };

export default function ForbiddenPage() {
  return (
    <div className="mx-auto max-w-md py-16 text-center" data-testid="forbidden">
      <p className="text-sm font-semibold text-brand-600">403</p>
      <h1 className="mt-2 text-2xl font-semibold">This page is not for your account</h1>
      <p className="mt-2 text-slate-600">You are signed in with a role that cannot open it.</p>
      <Link href="/" className="mt-6 inline-block font-medium text-brand-600 hover:underline">Back to the start page</Link>
    </div>
  );
}
