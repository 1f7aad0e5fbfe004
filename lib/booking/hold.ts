import { addMinutes } from "date-fns";
import { blockedRange, isSlotBookable } from "@/lib/availability";
import { db } from "@/lib/db/client";
import { isExclusionViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";
import type { Booking } from "@/lib/generated/prisma/client";
import { snapshotPolicy } from "./policy";
import { loadOfferingRules, type CoachRow, type OfferingRow } from "./rules";

export interface HoldInput {
  studentId: string;
  offeringId: string;
  start: Date;
  studentTimeZone: string;
  holdMinutes: number;
}

/**
 * Holds a slot as a PENDING_PAYMENT booking. The availability engine re-checks the slot against the coach's
 * rules (a stale page cannot book a time that is no longer offered), and the `bookings_no_overlap` exclusion
 * constraint settles races: of two students inserting the same slot at once, exactly one insert succeeds.
 */
export async function holdSlot(input: HoldInput, now = new Date()): Promise<Booking> {
  return (await holdSlotWithOffering(input, now)).booking;
}

/**
 * The same, also returning the offering and coach it read (createBooking needs the Cal.com event type and the
 * coach's name for Checkout: no second read).
 */
export async function holdSlotWithOffering(input: HoldInput, now = new Date()): Promise<{ booking: Booking; offering: OfferingRow; coach: CoachRow }> {
  const dayMs = 24 * 3600 * 1000;
  const { offering, coach, rules } = await loadOfferingRules(
    db,
    input.offeringId,
    now,
    new Date(input.start.getTime() - dayMs),
    new Date(input.start.getTime() + dayMs),
  );
  if (!isSlotBookable(rules, input.start)) {
    throw new AppError("SLOT_TAKEN", "That time is no longer available. Please pick another slot.");
  }
  const end = addMinutes(input.start, offering.durationMinutes);
  const blocked = blockedRange(input.start, end, coach.bufferBeforeMinutes, coach.bufferAfterMinutes);
  try {
    const booking = await db.booking.create({
      data: {
        coachId: coach.id,
        studentId: input.studentId,
        offeringId: offering.id,
        status: "PENDING_PAYMENT",
        startsAt: input.start,
        endsAt: end,
        blockedFrom: blocked.from,
        blockedUntil: blocked.until,
        holdExpiresAt: addMinutes(now, input.holdMinutes),
        studentTimeZone: input.studentTimeZone,
        title: offering.title,
        priceMinor: offering.priceMinor,
        currency: offering.currency,
        policy: snapshotPolicy(coach),
      },
    });
    return { booking, offering, coach };
  } catch (error) {
    if (isExclusionViolation(error)) throw new AppError("SLOT_TAKEN", "Someone just took this slot. Please pick another time.");
    throw error;
  }
}
