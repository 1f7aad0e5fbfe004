import type { Metadata } from "next";
import { BookingList } from "@/components/booking/booking-list";
import { PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { listCoachBookings } from "@/lib/booking/queries";

export const metadata: Metadata = { title: "Bookings" };

export default async function CoachBookingsPage() {
  const user = await requirePageUser(["COACH"], "/coach/bookings");
  const { upcoming, past } = await listCoachBookings(user.id);
  return (
    <div className="space-y-10">
      <PageHeader title="Bookings" description={`Times in your time zone, ${user.timeZone}. Sessions awaiting payment are held for the student until they pay.`} />
      <section>
        <h2 className="mb-3 text-lg font-semibold text-slate-800">Upcoming</h2>
        <BookingList items={upcoming} timeZone={user.timeZone} empty="No upcoming sessions yet." hrefBase="/coach/bookings" />
      </section>
      <section>
        <h2 className="mb-3 text-lg font-semibold text-slate-800">Past</h2>
        <BookingList items={past} timeZone={user.timeZone} empty="No past sessions yet." hrefBase="/coach/bookings" />
      </section>
    </div>
  );
}
