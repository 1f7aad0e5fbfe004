import type { CalcomBooking } from "@/lib/calcom";
import { calcomConfigured, coachApi } from "@/lib/calcom-sync/client";
import { db } from "@/lib/db/client";
import type { Booking } from "@/lib/generated/prisma/client";
import { z } from "zod";
import { defineJob, PermanentJobError, type JobHandler } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { calendarRefusal } from "@/lib/calcom/refusal";
import { notify } from "@/lib/notifications";
import { recordFinding } from "@/lib/ops/findings";
import { refundBooking } from "@/lib/payments/ledger";
import { releaseHold } from "./release";
import { applyCalcomEnded, applyCalcomReschedule, latestInChain } from "./reschedule-calcom";

/**
 * The Cal.com side of a booking: a PENDING Cal.com booking mirrors our hold (so the time is blocked on the coach's
 * Cal.com calendar too), is confirmed after payment and declined when the hold is released. Only for coaches
 * whose offering has a Cal.com event type; everyone else lives on the local engine alone.
 */
async function eventTypeFor(booking: Pick<Booking, "offeringId" | "coachId">): Promise<number | null> {
  if (!calcomConfigured()) return null;
  const offering = await db.offering.findUnique({ where: { id: booking.offeringId }, select: { calcomEventTypeId: true } });
  return offering?.calcomEventTypeId ?? null;
}

/** What a Cal.com booking is made from (a fresh hold as planned, or a booking read back). */
type HoldToMirror = Pick<Booking, "id" | "coachId" | "studentId" | "offeringId" | "startsAt" | "studentTimeZone">;

async function createRemote(booking: HoldToMirror, eventTypeId: number): Promise<CalcomBooking> {
  const student = await db.user.findUniqueOrThrow({ where: { id: booking.studentId }, select: { name: true, email: true } });
  const api = await coachApi(booking.coachId);
  return api.bookings.create({
    start: booking.startsAt.toISOString(),
    eventTypeId,
    attendee: { name: student.name, email: student.email, timeZone: booking.studentTimeZone },
    metadata: { bookingId: booking.id },
  });
}

/**
 * Creates the pending Cal.com booking of a fresh hold; returns its uid, or null for a coach not on Cal.com.
 * `knownEventTypeId`: the offering's event type when the caller read the offering in this request (no second read).
 */
export async function createPendingCalcomBooking(booking: HoldToMirror, knownEventTypeId?: number | null): Promise<string | null> {
  const eventTypeId = knownEventTypeId === undefined ? await eventTypeFor(booking) : calcomConfigured() ? knownEventTypeId : null;
  if (!eventTypeId) return null;
  const remote = await createRemote(booking, eventTypeId);
  await db.booking.update({ where: { id: booking.id }, data: { calcomBookingUid: remote.uid, calcomStatus: remote.status } });
  return remote.uid;
}

/**
 * Job: make Cal.com show a paid booking as accepted. Re-reads Cal.com after confirming (a confirm webhook may
 * still say pending). A Cal.com booking that was declined while the hold was lapsed (the payment then re-acquired
 * the slot) is replaced by a new one, confirmed at once.
 */
const confirmInCalcom: JobHandler = async (payload) => {
  const booking = await db.booking.findUnique({ where: { id: String(payload.bookingId) } });
  if (!booking) throw new PermanentJobError(`booking ${String(payload.bookingId)} not found`);
  if (booking.status !== "CONFIRMED") return;
  const eventTypeId = await eventTypeFor(booking);
  if (!eventTypeId && !booking.calcomBookingUid) return;
  const api = await coachApi(booking.coachId);
  let uid = booking.calcomBookingUid;
  if (uid) {
    const current = await api.bookings.get(uid);
    // Confirming an accepted booking is a 400 "Booking already confirmed" (../shared/calcom/CONTRACT.md): a run that
    // was interrupted after Cal.com accepted it (the process died) only records the result.
    if (current.status === "accepted") {
      await db.booking.updateMany({ where: { id: booking.id, calcomBookingUid: uid }, data: { calcomStatus: "accepted" } });
      return;
    }
    if (current.status === "rejected" || current.status === "cancelled") {
      // Ended by us (the hold lapsed, then the payment re-took the slot): book it again. Ended by the coach:
      // they do not want this session, so it is cancelled and refunded, not forced back onto their calendar.
      if (!endedByUs(booking)) return applyCalcomEnded(booking.id, current);
      uid = null;
    }
  }
  if (!uid) {
    if (!eventTypeId) return;
    let created: CalcomBooking;
    try {
      created = await createRemote(booking, eventTypeId);
    } catch (error) {
      // Cal.com refuses the time for good (taken there, or now inside the notice window): retrying ten times into a
      // dead job helps nobody. The booking is cancelled and refunded in full, and the student is told why.
      const refusal = calendarRefusal(error);
      if (!refusal) throw error;
      return resolveCalendarRefusal(booking.id, refusal);
    }
    uid = created.uid;
    await db.booking.update({ where: { id: booking.id }, data: { calcomBookingUid: uid, calcomStatus: created.status, calcomReleasedAt: null } });
  }
  await api.bookings.confirm(uid);
  const after = await api.bookings.get(uid);
  if (after.status !== "accepted") throw new Error(`Cal.com booking ${uid} is ${after.status} after confirm`);
  await db.booking.updateMany({ where: { id: booking.id, calcomBookingUid: uid }, data: { calcomStatus: "accepted" } });
};

/**
 * Job: free the time in Cal.com after a hold ended unpaid. Skips a booking that was re-acquired meanwhile. A hold
 * whose Cal.com create failed has no uid, but Cal.com may still have made the booking (the answer was lost):
 * such orphans are found by our booking id in their metadata and declined too.
 */
const releaseInCalcom: JobHandler = async (payload) => {
  const booking = await db.booking.findUnique({ where: { id: String(payload.bookingId) } });
  if (!booking || booking.status === "PENDING_PAYMENT" || booking.status === "AWAITING_FUNDS" || booking.status === "CONFIRMED") return;
  if (!booking.calcomBookingUid) return declineOrphans(booking);
  const api = await coachApi(booking.coachId);
  const current = await api.bookings.get(booking.calcomBookingUid);
  let status = current.status;
  // Provenance: record that WE end it before asking Cal.com (a crash in between must not make our own release look
  // like the coach's act), and only when we do: a booking the coach already rejected or cancelled stays theirs, so a
  // late payment never re-creates a booking the coach refused.
  if (status === "pending" || status === "accepted") {
    await db.booking.updateMany({ where: { id: booking.id, calcomBookingUid: booking.calcomBookingUid }, data: { calcomReleasedAt: new Date() } });
    if (status === "pending") status = (await api.bookings.decline(booking.calcomBookingUid, booking.cancelReason ?? "Not paid in time")).status;
    else status = (await api.bookings.cancel(booking.calcomBookingUid, { cancellationReason: booking.cancelReason ?? "Cancelled" })).status;
  }
  await db.booking.updateMany({ where: { id: booking.id, calcomBookingUid: booking.calcomBookingUid }, data: { calcomStatus: status } });
  log.info("Cal.com booking released", { bookingId: booking.id, status });
};

/**
 * Job: apply what Cal.com really holds for a booking (queued by the Cal.com webhook, which is only a hint). The
 * uid chain is followed to the booking that holds the session now. What people did in Cal.com follows the same
 * rules as in Coachbook (lib/booking/reschedule-calcom.ts): a cancellation by the attendee gets the policy refund,
 * by the host 100%; a rejection of a hold releases it; a reschedule is accepted when the rules allow it and undone
 * otherwise. Echoes of our own actions (a released hold, a move we made) change nothing.
 */
const reconcileWithCalcom: JobHandler = async (payload) => {
  const booking = await db.booking.findUnique({ where: { id: String(payload.bookingId) } });
  if (!booking?.calcomBookingUid || booking.status === "RESCHEDULED") return;
  const api = await coachApi(booking.coachId);
  const remote = await latestInChain(api, booking.calcomBookingUid);
  const live = booking.status === "CONFIRMED" || booking.status === "PENDING_PAYMENT" || booking.status === "AWAITING_FUNDS";
  if (!live) {
    await db.booking.updateMany({ where: { id: booking.id, calcomBookingUid: remote.uid }, data: { calcomStatus: remote.status } });
    return;
  }
  if (remote.status === "cancelled" || remote.status === "rejected") {
    // Our own release of a lapsed hold (the confirm job is about to book it again) is not anyone's cancellation.
    if (remote.uid === booking.calcomBookingUid && endedByUs(booking)) return;
    return applyCalcomEnded(booking.id, remote);
  }
  if (remote.uid !== booking.calcomBookingUid) {
    if (booking.status === "CONFIRMED") return applyCalcomReschedule(booking.id, api, remote);
    // Moved in Cal.com while the student was still paying for the original time: the hold is released there and here.
    if (remote.status === "pending") await api.bookings.decline(remote.uid, "Moved before it was paid");
    else await api.bookings.cancel(remote.uid, { cancellationReason: "Moved before it was paid" });
    await db.$transaction((tx) => releaseHold(tx, booking.id, "CANCELLED", "The time was changed in Cal.com before the payment; please book again.", { endedBy: "SYSTEM", cause: "moved in Cal.com during the hold" }));
    await db.booking.update({ where: { id: booking.id }, data: { calcomBookingUid: remote.uid, calcomStatus: "rejected", calcomReleasedAt: new Date() } });
    return;
  }
  await db.booking.updateMany({ where: { id: booking.id, calcomBookingUid: remote.uid }, data: { calcomStatus: remote.status } });
};

/** Our release job records when it ended the current Cal.com booking; anything else ended there was not us. */
function endedByUs(booking: Pick<Booking, "calcomReleasedAt">) {
  return booking.calcomReleasedAt !== null;
}

/** Cal.com refused a paid booking for good: cancel it here, refund in full, tell an operator (and the student). */
async function resolveCalendarRefusal(bookingId: string, refusal: string) {
  await db.$transaction(async (tx) => {
    const cancelled = await tx.booking.updateMany({
      where: { id: bookingId, status: "CONFIRMED" },
      data: { status: "CANCELLED", cancelledAt: new Date(), endedBy: "SYSTEM", calcomRefusal: refusal, cancelReason: `${refusal} The booking could not be kept, so it was cancelled and refunded in full.` },
    });
    if (cancelled.count === 0) return;
    const refunded = await refundBooking(tx, bookingId, null, "calcom-refused", `calcom-refused:${bookingId}`, "Cal.com refused the booking");
    await notify(tx, { bookingId, event: "booking.cancelled", refundAmountMinor: refunded.amountMinor });
    await recordFinding(tx, { kind: "calcom-refused", subject: bookingId, bookingId, detail: `Cal.com refused a paid booking: ${refusal} Cancelled and refunded in full.`, fixed: true });
  });
  log.warn("Cal.com refused a paid booking; cancelled and refunded", { bookingId, refusal });
}

async function declineOrphans(booking: Booking) {
  const eventTypeId = await eventTypeFor(booking);
  if (!eventTypeId) return;
  const api = await coachApi(booking.coachId);
  const candidates = await api.bookings.list({
    eventTypeId,
    afterStart: new Date(booking.startsAt.getTime() - 60_000),
    beforeEnd: new Date(booking.endsAt.getTime() + 60_000),
    status: ["upcoming", "unconfirmed"],
  });
  for (const remote of candidates) {
    if ((remote.metadata as Record<string, unknown> | undefined)?.bookingId !== booking.id) continue;
    if (remote.status === "pending") await api.bookings.decline(remote.uid, booking.cancelReason ?? "Not held");
    else if (remote.status === "accepted") await api.bookings.cancel(remote.uid, { cancellationReason: booking.cancelReason ?? "Not held" });
    log.info("orphan Cal.com booking released", { bookingId: booking.id, uid: remote.uid });
  }
}

// Every Cal.com job names one booking; a payload without one is a permanent failure, not a retry loop.
const bookingPayload = z.looseObject({ bookingId: z.string().min(1) });

export const CALCOM_BOOKING_JOBS: Record<string, JobHandler> = {
  [JOB.calcomConfirm]: defineJob(bookingPayload, confirmInCalcom),
  [JOB.calcomRelease]: defineJob(bookingPayload, releaseInCalcom),
  [JOB.calcomReconcile]: defineJob(bookingPayload, reconcileWithCalcom),
};
