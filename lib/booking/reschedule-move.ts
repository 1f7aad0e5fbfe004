import type { Booking } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/generated/prisma/enums";
import { enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { notify } from "@/lib/notifications";
import type { Tx } from "./cancel-access";

/**
 * The old booking ends RESCHEDULED and points to the new one; the payments follow the session (so a later
 * cancellation refunds them from the booking that holds it), and Cal.com is told by a durable job.
 */
export async function completeMove(tx: Tx, old: Booking, moved: Booking, actor: Actor, now: Date, options: { calcomDone?: boolean } = {}) {
  await tx.booking.update({
    where: { id: old.id },
    data: { status: "RESCHEDULED", rescheduledToId: moved.id, endedBy: actor, cancelledAt: now, cancelReason: `Moved to ${moved.startsAt.toISOString()}.`, holdExpiresAt: null },
  });
  await tx.payment.updateMany({ where: { bookingId: old.id }, data: { bookingId: moved.id } });
  // One calendar event for the whole chain (UID from the series, lib/calendar): the new booking continues the old
  // one's SEQUENCE, and notify raises it, so mail clients update the event instead of adding a second one.
  await tx.booking.update({ where: { id: moved.id }, data: { icsSequence: old.icsSequence } });
  await notify(tx, {
    bookingId: moved.id,
    event: "booking.rescheduled",
    previousStartsAt: old.startsAt.toISOString(),
    previousEndsAt: old.endsAt.toISOString(),
    differenceMinor: moved.priceMinor - old.priceMinor,
  });
  if (!options.calcomDone) {
    await enqueue(tx, { kind: JOB.calcomReschedule, payload: { bookingId: moved.id }, dedupeKey: `calcom-reschedule:${moved.id}`, cause: "booking moved" });
  }
}

