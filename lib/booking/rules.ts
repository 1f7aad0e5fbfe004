import type { AvailabilityRules, TimeInterval } from "@/lib/availability";
import type { Tx } from "@/lib/jobs/queue";
import { AppError } from "@/lib/errors";

export const LIVE_STATUSES = ["PENDING_PAYMENT", "CONFIRMED"] as const;

/** Blocked time (buffers included) of the coach's live bookings and holds that touch [from, to). */
export async function liveBusy(tx: Tx, coachId: string, from: Date, to: Date, excludeBookingId?: string): Promise<TimeInterval[]> {
  const rows = await tx.booking.findMany({
    where: {
      coachId,
      status: { in: [...LIVE_STATUSES] },
      blockedFrom: { lt: to },
      blockedUntil: { gt: from },
      ...(excludeBookingId ? { id: { not: excludeBookingId } } : {}),
    },
    select: { blockedFrom: true, blockedUntil: true },
  });
  return rows.map((row) => ({ start: row.blockedFrom, end: row.blockedUntil }));
}

/**
 * Everything the availability engine needs for one active offering, read from the database. `busyFrom`/`busyTo`
 * bound the busy query to the window being asked about.
 */
export async function loadOfferingRules(tx: Tx, offeringId: string, now: Date, busyFrom: Date, busyTo: Date, excludeBookingId?: string) {
  const offering = await tx.offering.findUnique({
    where: { id: offeringId },
    include: { coach: { include: { availabilityRules: true, dateOverrides: true } } },
  });
  if (!offering || !offering.active) throw new AppError("NOT_FOUND", "This offering does not exist or is no longer offered.");
  const coach = offering.coach;
  const busy = await liveBusy(tx, coach.id, busyFrom, busyTo, excludeBookingId);
  const rules: AvailabilityRules = {
    timeZone: coach.timeZone,
    weeklyRules: coach.availabilityRules,
    dateOverrides: coach.dateOverrides,
    durationMinutes: offering.durationMinutes,
    slotIntervalMinutes: coach.slotIntervalMinutes,
    bufferBeforeMinutes: coach.bufferBeforeMinutes,
    bufferAfterMinutes: coach.bufferAfterMinutes,
    minimumNoticeMinutes: coach.minimumNoticeMinutes,
    bookingHorizonDays: coach.bookingHorizonDays,
    busy,
    now,
  };
  return { offering, coach, rules };
}
