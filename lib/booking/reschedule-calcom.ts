import { z } from "zod";
import type { CalcomBooking } from "@/lib/calcom";
import { calendarRefusal } from "@/lib/calcom/refusal";
import { calcomConfigured, coachApi } from "@/lib/calcom-sync/client";
import { db } from "@/lib/db/client";
import { isExclusionViolation } from "@/lib/db/errors";
import type { Booking } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/generated/prisma/enums";
import { defineJob, enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { recordFinding } from "@/lib/ops/findings";
import { isSlotBookable } from "@/lib/availability";
import { lockBooking } from "./cancel-access";
import { cancelLocked } from "./cancel";
import { readPolicy, rescheduleRefusal } from "./policy";
import { completeMove } from "./reschedule-move";
import { loadOfferingRules } from "./rules";

type Api = Awaited<ReturnType<typeof coachApi>>;
const DAY_MS = 86_400_000;
const ENDED = new Set(["cancelled", "rejected"]);

/** Follows Cal.com's reschedule chain (rescheduledToUid) from a uid to the booking that holds the session now. */
export async function latestInChain(api: Api, uid: string): Promise<CalcomBooking> {
  let remote = await api.bookings.get(uid);
  for (let hops = 0; ENDED.has(remote.status) && remote.rescheduledToUid && hops < 20; hops++) remote = await api.bookings.get(remote.rescheduledToUid);
  return remote;
}

/**
 * Who acted in Cal.com, by email (never guessed from a status): the host (the coach, whose managed-user email
 * carries the OAuth client suffix, CONTRACT.md §2) or the attendee (Cal.com's attendee links carry
 * `cancelledBy=<attendee email>` / `rescheduledBy`, upstream packages/lib/CalEventParser.ts getCancelLink). Anyone
 * else, or nobody recorded, is "unknown".
 */
export function actorByEmail(remote: CalcomBooking, email: string | undefined, known: { coachEmail?: string | null; studentEmail: string }): "COACH" | "STUDENT" | "UNKNOWN" {
  if (!email) return "UNKNOWN";
  const e = email.trim().toLowerCase();
  const hosts = [...remote.hosts.map((h) => h.email), known.coachEmail ?? ""].map((h) => h.toLowerCase()).filter(Boolean);
  if (hosts.includes(e)) return "COACH";
  const attendees = [...remote.attendees.map((a) => a.email), known.studentEmail].map((a) => a.toLowerCase());
  if (attendees.includes(e)) return "STUDENT";
  return "UNKNOWN";
}

async function knownEmails(booking: Booking) {
  const [student, account] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: booking.studentId }, select: { email: true } }),
    db.calcomAccount.findUnique({ where: { coachId: booking.coachId }, select: { calcomEmail: true } }),
  ]);
  return { studentEmail: student.email, coachEmail: account?.calcomEmail ?? null };
}

/**
 * A booking ended in Cal.com that we did not end. Cancelled by the attendee: the student's policy refund. Cancelled
 * by the host, or rejected (only the host can decline): 100%. By nobody we can name: 100%, and an operator is told
 * (no deduction without evidence that the student cancelled). A hold that the coach rejects while the student is
 * still paying is released and its Checkout Session expired; it is never re-created.
 */
export async function applyCalcomEnded(bookingId: string, remote: CalcomBooking): Promise<void> {
  const booking = await db.booking.findUnique({ where: { id: bookingId } });
  if (!booking) return;
  const who = remote.status === "rejected" ? "COACH" : actorByEmail(remote, remote.cancelledByEmail, await knownEmails(booking));
  const actor: Actor = who === "UNKNOWN" ? "SYSTEM" : who;
  const verb = remote.status === "rejected" ? "declined" : "cancelled";
  const reason =
    who === "STUDENT" ? `cancelled in Cal.com${remote.cancellationReason ? ` (${remote.cancellationReason})` : ""}` : who === "COACH" ? `the coach ${verb} it in Cal.com${remote.cancellationReason ? ` (${remote.cancellationReason})` : ""}` : `${verb} in Cal.com by someone we could not identify; refunded in full`;
  await db.$transaction(async (tx) => {
    const locked = await lockBooking(tx, bookingId);
    if (!locked || (locked.status !== "CONFIRMED" && locked.status !== "PENDING_PAYMENT" && locked.status !== "AWAITING_FUNDS")) return;
    if (locked.calcomBookingUid !== remote.uid) await tx.booking.update({ where: { id: bookingId }, data: { calcomBookingUid: remote.uid } });
    await cancelLocked(tx, locked, { actor, reason, now: new Date(), calcomAlreadyEnded: true, calcomStatus: remote.status });
    if (locked.status !== "CONFIRMED") {
      const notice =
        who === "STUDENT"
          ? "You cancelled this booking in Cal.com before paying, so the time was released. If a payment went through, it is refunded in full."
          : "The coach declined this time while you were paying, so it was released. Nothing was charged; if a payment went through, it is refunded in full.";
      await tx.booking.update({ where: { id: bookingId }, data: { notice } });
    }
    if (who === "UNKNOWN") await recordFinding(tx, { kind: "calcom-mismatch", subject: bookingId, bookingId, detail: `Cal.com booking ${remote.uid} was ${verb} by ${remote.cancelledByEmail ?? "nobody recorded"}; cancelled here with a full refund.`, fixed: true });
  });
}

/**
 * A booking rescheduled in Cal.com (a new uid at the end of the chain). The same rules as a move in Coachbook: the
 * same session type (Cal.com keeps the event type, so the price class is unchanged), the local engine's availability,
 * and for the attendee the cut-off and the limit. Allowed: the move is made here (old booking RESCHEDULED, new one
 * linked, payments follow) and confirmed in Cal.com. Not allowed, or colliding with another live booking: the
 * Cal.com booking is moved back to the original time (by the host, so it stays accepted) and the student is told.
 */
export async function applyCalcomReschedule(bookingId: string, api: Api, remote: CalcomBooking): Promise<void> {
  const booking = await db.booking.findUnique({ where: { id: bookingId } });
  if (!booking || booking.status !== "CONFIRMED") return;
  const start = new Date(remote.start);
  if (start.getTime() === booking.startsAt.getTime()) {
    // Same time (e.g. our own move back landed): only follow the uid.
    await db.booking.update({ where: { id: bookingId }, data: { calcomBookingUid: remote.uid, calcomStatus: remote.status } });
    if (remote.status === "pending") await enqueue(db, { kind: JOB.calcomConfirm, payload: { bookingId }, dedupeKey: `calcom-confirm:${bookingId}:${remote.uid}`, cause: "Cal.com reschedule to the same time" });
    return;
  }
  const who = actorByEmail(remote, remote.rescheduledByEmail, await knownEmails(booking));
  const actor: Actor = who === "COACH" ? "COACH" : "STUDENT";
  const now = new Date();
  let refusal: string | null = null;
  if (actor === "STUDENT") refusal = rescheduleRefusal(readPolicy(booking.policy), booking.startsAt, now, booking.rescheduleCount);
  if (!refusal && actor === "STUDENT") {
    const { rules } = await loadOfferingRules(db, booking.offeringId, now, new Date(start.getTime() - DAY_MS), new Date(start.getTime() + DAY_MS), booking.id).catch(() => ({ rules: null }));
    if (!rules || !isSlotBookable(rules, start)) refusal = "The new time is not one of the coach's available times.";
  }
  if (!refusal) {
    try {
      const moved = await db.$transaction(async (tx) => {
        const locked = await lockBooking(tx, bookingId);
        if (!locked || locked.status !== "CONFIRMED") return null;
        const end = new Date(remote.end);
        const created = await tx.booking.create({
          data: {
            coachId: locked.coachId,
            studentId: locked.studentId,
            offeringId: locked.offeringId,
            status: "CONFIRMED",
            confirmedAt: now,
            startsAt: start,
            endsAt: end,
            blockedFrom: new Date(start.getTime() - (locked.startsAt.getTime() - locked.blockedFrom.getTime())),
            blockedUntil: new Date(end.getTime() + (locked.blockedUntil.getTime() - locked.endsAt.getTime())),
            studentTimeZone: locked.studentTimeZone,
            title: locked.title,
            priceMinor: locked.priceMinor,
            currency: locked.currency,
            policy: locked.policy as object,
            rescheduledFromId: locked.id,
            seriesId: locked.seriesId ?? locked.id,
            rescheduleCount: locked.rescheduleCount + 1,
            rescheduledBy: actor,
            calcomBookingUid: remote.uid,
            calcomStatus: remote.status,
            notice: actor === "COACH" ? "Your coach moved this session in Cal.com." : null,
          },
        });
        // The old booking keeps the old (now cancelled) uid: each row holds one link of Cal.com's uid chain.
        await completeMove(tx, locked, created, actor, now, { calcomDone: true });
        if (remote.status === "pending") await enqueue(tx, { kind: JOB.calcomConfirm, payload: { bookingId: created.id }, dedupeKey: `calcom-confirm:${created.id}`, cause: "accepted a reschedule made in Cal.com" });
        return created;
      });
      if (moved) log.info("applied a reschedule made in Cal.com", { from: bookingId, to: moved.id, by: actor });
      return;
    } catch (error) {
      if (!isExclusionViolation(error)) throw error;
      refusal = "The new time collides with another booking of the coach.";
      await recordFinding(db, { kind: "double-booked-in-calcom", subject: remote.uid, bookingId, detail: `Cal.com moved booking ${bookingId} onto a taken time (${remote.start}); moved back.`, fixed: true });
    }
  }
  await moveBackInCalcom(booking, api, remote, refusal);
}

/** Restores the original time in Cal.com (a reschedule by the host keeps it accepted) and tells the student why. */
async function moveBackInCalcom(booking: Booking, api: Api, remote: CalcomBooking, refusal: string) {
  // Follow the uid first: if we crash after Cal.com answered, the retry finds the chain from here.
  await db.booking.update({ where: { id: booking.id }, data: { calcomBookingUid: remote.uid } });
  const host = remote.hosts[0]?.email;
  let back: CalcomBooking;
  try {
    back = await api.bookings.reschedule(remote.uid, { start: booking.startsAt.toISOString(), rescheduledBy: host, reschedulingReason: `Not allowed by Coachbook: ${refusal}` });
  } catch (error) {
    const taken = calendarRefusal(error);
    if (!taken) throw error;
    // The original time is gone in Cal.com too: neither time can be kept in both systems. Cancel both, refund in
    // full (the student is not at fault), and tell an operator.
    await api.bookings.cancel(remote.uid, { cancellationReason: `Could not be kept: ${refusal}` }).catch((e) => log.warn("could not cancel the moved Cal.com booking", { uid: remote.uid, error: e }));
    await db.$transaction(async (tx) => {
      const locked = await lockBooking(tx, booking.id);
      if (!locked) return;
      await tx.booking.update({ where: { id: booking.id }, data: { calcomReleasedAt: new Date() } });
      await cancelLocked(tx, locked, { actor: "SYSTEM", reason: `the session was moved in Cal.com onto a time that is not possible (${refusal}) and its original time is no longer free there; refunded in full`, now: new Date(), calcomAlreadyEnded: true, calcomStatus: "cancelled" });
      await tx.booking.update({ where: { id: booking.id }, data: { notice: "This session was moved in Cal.com to a time that could not be kept, and the original time was no longer free. It is cancelled and refunded in full." } });
      await recordFinding(tx, { kind: "calcom-mismatch", subject: booking.id, bookingId: booking.id, detail: `Cal.com move of ${remote.uid} refused (${refusal}); original time taken in Cal.com (${taken}). Cancelled and refunded in full.`, fixed: true });
    });
    return;
  }
  let status = back.status;
  if (status === "pending") status = (await api.bookings.confirm(back.uid)).status;
  await db.booking.update({
    where: { id: booking.id },
    data: { calcomBookingUid: back.uid, calcomStatus: status, notice: `A move of this session in Cal.com was undone: ${refusal} Your booking stays at its original time.` },
  });
  log.warn("undid a reschedule made in Cal.com", { bookingId: booking.id, refusal });
}

/**
 * Job: tell Cal.com about a move made in Coachbook. Same event type: Cal.com's reschedule (a new uid whose
 * rescheduledFromUid is the old one, so the chain is kept), by the host so it stays accepted. Another event type
 * (the student moved to another session type): a new Cal.com booking, confirmed, then the old one cancelled.
 * A retry after a lost answer finds the new uid through the old one's rescheduledToUid.
 */
const rescheduleInCalcom = defineJob(z.object({ bookingId: z.string().min(1) }), async ({ bookingId }) => {
  const moved = await db.booking.findUnique({ where: { id: bookingId }, include: { offering: { select: { calcomEventTypeId: true } } } });
  if (!moved || moved.status !== "CONFIRMED" || !moved.rescheduledFromId || !calcomConfigured()) return;
  const old = await db.booking.findUniqueOrThrow({ where: { id: moved.rescheduledFromId } });
  if (moved.calcomBookingUid) return;
  const eventTypeId = moved.offering.calcomEventTypeId;
  if (!old.calcomBookingUid && !eventTypeId) return;
  const api = await coachApi(moved.coachId);
  let result: CalcomBooking | null = null;
  try {
    if (old.calcomBookingUid) {
      const current = await latestInChain(api, old.calcomBookingUid);
      const sameType = current.eventTypeId === eventTypeId;
      if (current.uid !== old.calcomBookingUid && new Date(current.start).getTime() === moved.startsAt.getTime()) result = current;
      else if (!ENDED.has(current.status) && sameType) {
        result = await api.bookings.reschedule(current.uid, { start: moved.startsAt.toISOString(), rescheduledBy: current.hosts[0]?.email, reschedulingReason: "Moved in Coachbook" });
      } else {
        if (!ENDED.has(current.status)) {
          await db.booking.update({ where: { id: old.id }, data: { calcomReleasedAt: new Date() } });
          await api.bookings.cancel(current.uid, { cancellationReason: "Moved to another session in Coachbook" });
        }
      }
    }
    if (!result && eventTypeId) {
      const student = await db.user.findUniqueOrThrow({ where: { id: moved.studentId }, select: { name: true, email: true } });
      result = await api.bookings.create({ start: moved.startsAt.toISOString(), eventTypeId, attendee: { name: student.name, email: student.email, timeZone: moved.studentTimeZone }, metadata: { bookingId: moved.id } });
    }
  } catch (error) {
    const refusal = calendarRefusal(error);
    if (!refusal) throw error;
    await db.booking.update({ where: { id: moved.id }, data: { calcomRefusal: refusal } });
    await recordFinding(db, { kind: "calcom-refused", subject: moved.id, bookingId: moved.id, detail: `Cal.com refused the moved booking: ${refusal} It is booked in Coachbook; the coach's Cal.com calendar needs a person.`, fixed: false });
    return;
  }
  if (!result) return;
  await db.booking.update({ where: { id: moved.id }, data: { calcomBookingUid: result.uid, calcomStatus: result.status } });
  if (result.status === "pending") await api.bookings.confirm(result.uid);
  const after = await api.bookings.get(result.uid);
  await db.booking.update({ where: { id: moved.id }, data: { calcomStatus: after.status } });
  if (after.status !== "accepted") throw new Error(`Cal.com booking ${result.uid} is ${after.status} after the move`);
});

export const RESCHEDULE_JOBS = { [JOB.calcomReschedule]: rescheduleInCalcom };
