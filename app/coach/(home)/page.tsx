import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { getCoachDashboard } from "@/lib/coaches/dashboard";
import { formatMoney } from "@/lib/money";

export const metadata: Metadata = { title: "Coach dashboard" };

export default async function CoachDashboardPage() {
  const user = await requirePageUser(["COACH"], "/coach");
  const dashboard = await getCoachDashboard(user.id);
  return (
    <div>
      <PageHeader title={`Welcome, ${user.name}`} description="Your coaching at a glance." />
      <div className="grid gap-4 sm:grid-cols-3" data-testid="coach-dashboard">
        <Card>
          <p className="text-sm text-slate-600">Active offerings</p>
          <p className="mt-1 text-2xl font-semibold">{dashboard.activeOfferings}</p>
          <Link href="/coach/offerings" className="mt-3 inline-block text-sm font-medium text-brand-600 hover:underline">Manage offerings</Link>
        </Card>
        <Card>
          <p className="text-sm text-slate-600">Weekly availability</p>
          <p className="mt-1 text-2xl font-semibold">{dashboard.weeklyHours} h</p>
          <Link href="/coach/availability" className="mt-3 inline-block text-sm font-medium text-brand-600 hover:underline">Edit availability</Link>
        </Card>
        <Card>
          <p className="text-sm text-slate-600">Upcoming confirmed sessions</p>
          <p className="mt-1 text-2xl font-semibold">{dashboard.upcomingConfirmed}</p>
          <Link href="/coach/bookings" className="mt-3 inline-block text-sm font-medium text-brand-600 hover:underline">See bookings</Link>
        </Card>
      </div>
      {dashboard.publicSlug ? (
        <p className="mt-6 text-sm text-slate-600">
          Your public page: <Link className="font-medium text-brand-600 hover:underline" href={`/coaches/${dashboard.publicSlug}`}>/coaches/{dashboard.publicSlug}</Link>
          {dashboard.cheapest ? ` · sessions from ${formatMoney(dashboard.cheapest.priceMinor, dashboard.cheapest.currency)}` : ""}
        </p>
      ) : null}
    </div>
  );
}
