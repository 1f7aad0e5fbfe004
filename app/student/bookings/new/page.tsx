import { redirect } from "next/navigation";
import { getBookableOffering } from "@/lib/booking/queries";
import { isPlausibleId } from "@/lib/http/pages";
import { bookingPickerPath } from "@/lib/booking/picker-path";
import { db } from "@/lib/db/client";

/** The old address of the slot picker: it now lives under the coach's page, open to visitors too. */
export default async function NewBookingPage({ searchParams }: { searchParams: Promise<{ coach?: string; offering?: string }> }) {
  const { coach, offering: offeringId } = await searchParams;
  const offering = isPlausibleId(coach) && isPlausibleId(offeringId) ? await getBookableOffering(coach, offeringId) : null;
  const profile = offering ? await db.coachProfile.findUnique({ where: { id: offering.coachId }, select: { slug: true } }) : null;
  redirect(offering && profile ? bookingPickerPath(profile.slug, offering.id) : "/");
}
