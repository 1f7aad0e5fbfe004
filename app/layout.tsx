import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { getSessionUser } from "@/lib/auth/session";
import { SignOutButton } from "@/components/sign-out-button";

// Every page shows the signed-in navigation, so nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Coachbook", template: "%s · Coachbook" },
  description: "Book and pay for coaching sessions with independent coaches.",
  icons: { icon: "/favicon.svg" },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getSessionUser().catch(() => null);
  const links =
    user?.role === "COACH"
      ? [
          { href: "/coach", label: "Dashboard" },
          { href: "/coach/availability", label: "Availability" },
          { href: "/coach/offerings", label: "Offerings" },
          { href: "/coach/policy", label: "Policy" },
          { href: "/coach/bookings", label: "Bookings" },
        ]
      : user?.role === "STUDENT"
        ? [
            { href: "/", label: "Find a coach" },
            { href: "/student/bookings", label: "My bookings" },
          ]
        : [{ href: "/", label: "Coaches" }];
  return (
    <html lang="en">
      <body className="min-h-screen flex flex-col">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 rounded bg-white px-3 py-2 shadow">
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center gap-6 px-6 py-4">
            <Link href="/" className="text-lg font-semibold tracking-tight text-brand-700">
              Coachbook
            </Link>
            <ul className="flex flex-1 items-center gap-4 text-sm">
              {links.map((link) => (
                <li key={link.href}>
                  <Link href={link.href} className="rounded px-1 py-0.5 text-slate-600 hover:text-slate-900">
                    {link.label}
                  </Link>
                </li>
              ))}
            </ul>
            {user ? (
              <div className="flex items-center gap-3 text-sm">
                <span className="text-slate-500" data-testid="signed-in-as">
                  {user.name} · <span className="lowercase">{user.role}</span>
                </span>
                <SignOutButton />
              </div>
            ) : (
              <div className="flex items-center gap-3 text-sm">
                <Link href="/signin" className="text-slate-600 hover:text-slate-900">
                  Sign in
                </Link>
                <Link href="/signup" className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">
                  Sign up
                </Link>
              </div>
            )}
          </nav>
        </header>
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-6 py-10">
          {children}
        </main>
        <footer className="border-t border-slate-200 bg-white py-6 text-center text-xs text-slate-500">
          Coachbook · times are shown in your time zone{user ? ` (${user.timeZone})` : ""}
        </footer>
      </body>
    </html>
  );
}
