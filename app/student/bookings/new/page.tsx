import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { getBookableOffering } from "@/lib/booking/queries";
import { isPlausibleId } from "@/lib/http/pages";
import { formatMoney } from "@/lib/money";
import { SlotPicker } from "./slot-picker";

export const metadata: Metadata = { title: "Book a session" };

export default async function NewBookingPage({ searchParams }: { searchParams: Promise<{ coach?: string; offering?: string }> }) {
  const { coach, offering: offeringId } = await searchParams;
  const user = await requirePageUser(["STUDENT"], `/student/bookings/new?coach=${coach ?? ""}&offering=${offeringId ?? ""}`);
  const offering = isPlausibleId(coach) && isPlausibleId(offeringId) ? await getBookableOffering(coach, offeringId) : null;
  if (!offering) {
    return (
      <div>
        <PageHeader title="Book a session" />
        <EmptyState title="This session is not available">
          It may have been withdrawn by the coach. <Link href="/" className="font-medium text-brand-600 hover:underline">Choose another coach</Link>.
        </EmptyState>
      </div>
    );
  }
  return (
    <div>
      <PageHeader
        title={`${offering.title} with ${offering.coach.user.name}`}
        description={`${offering.durationMinutes} minutes · ${formatMoney(offering.priceMinor, offering.currency)} · times shown in your time zone (${user.timeZone})`}
      />
      <SlotPicker
        coachId={offering.coachId}
        offeringId={offering.id}
        timeZone={user.timeZone}
        title={offering.title}
        coachName={offering.coach.user.name}
        durationMinutes={offering.durationMinutes}
        priceLabel={formatMoney(offering.priceMinor, offering.currency)}
      />
    </div>
  );
}
