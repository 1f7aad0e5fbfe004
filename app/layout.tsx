import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { getSessionUser } from "@/lib/auth/session";
import { SignOutButton } from "@/components/sign-out-button";
import { MobileMenu } from "@/components/layout/mobile-menu";
import type { SessionUser } from "@/lib/auth/session";

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
        : user?.role === "ADMIN"
          ? [
              { href: "/admin/operations", label: "Operations" },
              { href: "/", label: "Coaches" },
            ]
          : [{ href: "/", label: "Coaches" }];
  if (user) links.push({ href: "/profile", label: "Profile" });
  return (
    <html lang="en">
      <body className="min-h-screen flex flex-col">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 rounded bg-white px-3 py-2 shadow">
          Skip to content
        </a>
        <header className="relative border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3 sm:px-6 md:py-4">
            <Link href="/" className="text-lg font-semibold tracking-tight text-brand-700">
              Coachbook
            </Link>
            <div className="hidden flex-1 items-center gap-6 md:flex" data-testid="desktop-nav">
              <NavLinks links={links} className="flex flex-1 items-center gap-4 text-sm" />
              <Account user={user} />
            </div>
            <MobileMenu>
              <NavLinks links={links} className="flex flex-col gap-1 text-base" />
              <div className="mt-3 border-t border-slate-200 pt-3">
                <Account user={user} inMenu />
              </div>
            </MobileMenu>
          </nav>
        </header>
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 sm:px-6 sm:py-10">
          {children}
        </main>
        <footer className="border-t border-slate-200 bg-white px-4 py-6 text-center text-xs text-slate-600">
          Coachbook ·{" "}
          {user ? (
            <>
              your time zone is {user.timeZone} (<Link href="/profile" className="underline">change</Link>)
            </>
          ) : (
            "times are shown in your time zone"
          )}
        </footer>
      </body>
    </html>
  );
}

function NavLinks({ links, className }: { links: { href: string; label: string }[]; className: string }) {
  return (
    <ul className={className}>
      {links.map((link) => (
        <li key={link.href}>
          <Link href={link.href} className="block rounded px-1 py-1 text-slate-700 hover:text-slate-900">
            {link.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Rendered twice (desktop bar, phone menu); only the desktop copy carries the test id, so it stays unique. */
function Account({ user, inMenu = false }: { user: SessionUser | null; inMenu?: boolean }) {
  if (user) {
    return (
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="text-slate-600" data-testid={inMenu ? undefined : "signed-in-as"}>
          {user.name} · <span className="lowercase">{user.role}</span>
        </span>
        <SignOutButton />
      </div>
    );
  }
  return (
    <div className="flex items-center gap-3 text-sm">
      <Link href="/signin" className="text-slate-700 hover:text-slate-900">
        Sign in
      </Link>
      <Link href="/signup" className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">
        Sign up
      </Link>
    </div>
  );
}
