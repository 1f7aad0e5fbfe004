import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { BookingStatus } from "@/lib/generated/prisma/enums";

export interface BookingListItem {
  id: string;
  title: string;
  status: BookingStatus;
  startsAt: Date;
  endsAt: Date;
  priceMinor: number;
  currency: string;
  counterpart: string;
  holdExpiresAt: Date | null;
  checkoutUrl: string | null;
}

const LIST_LIMIT = 200;

/** Upcoming (soonest first) and past (latest first) are read separately, so a long history never hides what is next. */
async function upcomingAndPast<T>(read: (when: { endsAt: { gte: Date } | { lt: Date } }, order: "asc" | "desc") => Promise<T[]>) {
  const now = new Date();
  const [upcoming, past] = await Promise.all([read({ endsAt: { gte: now } }, "asc"), read({ endsAt: { lt: now } }, "desc")]);
  return { upcoming, past };
}

export async function listStudentBookings(studentId: string) {
  return upcomingAndPast(async (when, order) => {
    const rows = await db.booking.findMany({
      where: { studentId, ...when },
      include: { coach: { include: { user: { select: { name: true } } } } },
      orderBy: { startsAt: order },
      take: LIST_LIMIT,
    });
    return rows.map((b): BookingListItem => ({ ...pick(b), counterpart: b.coach.user.name }));
  });
}

export async function listCoachBookings(coachUserId: string) {
  const coach = await db.coachProfile.findUnique({ where: { userId: coachUserId }, select: { id: true } });
  if (!coach) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  return upcomingAndPast(async (when, order) => {
    const rows = await db.booking.findMany({
      // Abandoned holds are noise for a coach; they see live, confirmed, cancelled and rescheduled bookings.
      where: { coachId: coach.id, status: { in: ["PENDING_PAYMENT", "AWAITING_FUNDS", "CONFIRMED", "CANCELLED", "RESCHEDULED"] }, ...when },
      include: { student: { select: { name: true } } },
      orderBy: { startsAt: order },
      take: LIST_LIMIT,
    });
    return rows.map((b): BookingListItem => ({ ...pick(b), counterpart: b.student.name }));
  });
}

function pick(b: { id: string; title: string; status: BookingStatus; startsAt: Date; endsAt: Date; priceMinor: number; currency: string; holdExpiresAt: Date | null; checkoutUrl: string | null }) {
  return { id: b.id, title: b.title, status: b.status, startsAt: b.startsAt, endsAt: b.endsAt, priceMinor: b.priceMinor, currency: b.currency, holdExpiresAt: b.holdExpiresAt, checkoutUrl: b.checkoutUrl };
}

/** One booking for its student (or its coach); anyone else gets a 404 that reveals nothing. */
export async function getBookingForUser(bookingId: string, userId: string) {
  const booking = await db.booking.findUnique({
    where: { id: bookingId },
    include: { coach: { include: { user: { select: { name: true, id: true } } } }, student: { select: { name: true } }, payments: { include: { refunds: true } }, offering: { select: { calcomEventTypeId: true } } },
  });
  if (!booking || (booking.studentId !== userId && booking.coach.user.id !== userId)) throw new AppError("NOT_FOUND", "No such booking.");
  return booking;
}

export async function getBookableOffering(coachId: string, offeringId: string) {
  const offering = await db.offering.findUnique({ where: { id: offeringId }, include: { coach: { include: { user: { select: { name: true } } } } } });
  if (!offering || offering.coachId !== coachId || !offering.active) return null;
  return offering;
}
