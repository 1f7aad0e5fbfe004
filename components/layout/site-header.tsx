"use client";

import Link from "next/link";
import { SignOutButton } from "@/components/sign-out-button";
import { MobileMenu } from "./mobile-menu";
import { useCurrentUser, useCurrentUserLoader, type CurrentUser } from "./current-user";

type NavLink = { href: string; label: string };

function linksFor(user: CurrentUser | null | undefined): NavLink[] {
  const links: NavLink[] =
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
  return links;
}

/**
 * The site header. Rendered on the server in its neutral state (the same for everyone, so pages can be cached),
 * then filled in with the signed-in user's links once /api/me answers.
 */
export function SiteHeader() {
  useCurrentUserLoader();
  const user = useCurrentUser();
  const links = linksFor(user);
  return (
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
  );
}

/** The footer's time-zone note: the signed-in user's zone, or a general line. */
export function FooterZone() {
  const user = useCurrentUser();
  if (!user) return <>times are shown in your time zone</>;
  return (
    <>
      your time zone is {user.timeZone} (<Link href="/profile" className="underline">change</Link>)
    </>
  );
}

function NavLinks({ links, className }: { links: NavLink[]; className: string }) {
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
function Account({ user, inMenu = false }: { user: CurrentUser | null | undefined; inMenu?: boolean }) {
  // Still asking: keep the space, show nothing that could be wrong.
  if (user === undefined) return <div className="min-h-8 text-sm" aria-hidden />;
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
