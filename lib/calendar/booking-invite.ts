import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { bookingUrl } from "@/lib/notifications/links";
import { buildInvite, googleCalendarUrl } from "./ics";

/**
 * The booking's calendar file for "Add to calendar": same UID and current SEQUENCE as the mailed invites, so a
 * download and a mail never make two events. Only the student, the coach or an admin may read it; anyone else
 * (and a booking that was never confirmed) gets 404, which says nothing about whether it exists.
 */
export async function bookingCalendarFile(bookingId: string, user: SessionUser): Promise<{ filename: string; content: string }> {
  const booking = await db.booking.findUnique({ where: { id: bookingId }, include: { student: true, coach: { include: { user: true } } } });
  const owner = booking && (user.role === "ADMIN" || booking.studentId === user.id || booking.coach.userId === user.id);
  if (!booking || !owner || (booking.status !== "CONFIRMED" && booking.status !== "CANCELLED") || !booking.confirmedAt) {
    throw new AppError("NOT_FOUND", "No calendar entry for this booking.");
  }
  const url = bookingUrl(booking.id, booking.studentId === user.id ? "student" : "coach");
  const content = buildInvite({
    // One calendar event per reschedule chain (a move makes a new booking row, lib/booking/reschedule*.ts).
    bookingId: booking.seriesId ?? booking.id,
    sequence: booking.icsSequence,
    // A file someone imports by hand publishes the event; a cancelled booking's file removes it.
    method: booking.status === "CANCELLED" ? "CANCEL" : "PUBLISH",
    title: `${booking.title} — ${booking.coach.user.name} & ${booking.student.name}`,
    description: `Coachbook session. Booking: ${url}`,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    url,
    organizer: { name: "Coachbook", email: "no-reply@coachbook.invalid" },
    attendees: [
      { name: booking.student.name, email: booking.student.email },
      { name: booking.coach.user.name, email: booking.coach.user.email },
    ],
  });
  return { filename: "coachbook-session.ics", content };
}

/** Links for the booking page's "Add to calendar". */
export function addToCalendarLinks(booking: { id: string; title: string; startsAt: Date; endsAt: Date }, recipient: "student" | "coach") {
  return {
    icsUrl: `/api/bookings/${encodeURIComponent(booking.id)}/ics`,
    googleUrl: googleCalendarUrl({ title: `${booking.title} — Coachbook`, startsAt: booking.startsAt, endsAt: booking.endsAt, details: bookingUrl(booking.id, recipient) }),
  };
}
