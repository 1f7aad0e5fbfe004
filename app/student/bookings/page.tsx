import type { Metadata } from "next";
import { EmptyState, PageHeader, ButtonLink } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "My bookings" };

export default async function StudentBookingsPage() {
  const user = await requirePageUser(["STUDENT"], "/student/bookings");
  return (
    <div>
      <PageHeader title="My bookings" description={`Times in ${user.timeZone}.`} action={<ButtonLink href="/">Find a coach</ButtonLink>} />
      <EmptyState title="No bookings yet">Pick a coach and a session to book your first one.</EmptyState>
    </div>
  );
}
