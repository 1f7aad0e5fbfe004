import type { Metadata } from "next";
import { BookingList } from "@/components/booking/booking-list";
import { ButtonLink, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { listStudentBookings } from "@/lib/booking/queries";

export const metadata: Metadata = { title: "My bookings" };

export default async function StudentBookingsPage() {
  const user = await requirePageUser(["STUDENT"], "/student/bookings");
  const { upcoming, past } = await listStudentBookings(user.id);
  return (
    <div className="space-y-10">
      <PageHeader title="My bookings" description={`Times in your time zone, ${user.timeZone}.`} action={<ButtonLink href="/">Find a coach</ButtonLink>} />
      <section>
        <h2 className="mb-3 text-lg font-semibold text-slate-800">Upcoming</h2>
        <BookingList items={upcoming} timeZone={user.timeZone} empty="No upcoming bookings. Pick a coach to book a session." hrefBase="/student/bookings" resumePayment />
      </section>
      <section>
        <h2 className="mb-3 text-lg font-semibold text-slate-800">Past</h2>
        <BookingList items={past} timeZone={user.timeZone} empty="No past bookings yet." hrefBase="/student/bookings" />
      </section>
    </div>
  );
}
