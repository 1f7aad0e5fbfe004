import { enqueue, type Tx } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { RECIPIENTS, type NotifyEvent, type NotifyExtra, type NotifyInput, type Recipient } from "./events";

export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

export interface MailJobPayload {
  key: string;
  bookingId: string;
  event: NotifyEvent;
  recipient: Recipient;
  /** The invite's SEQUENCE for this mail (fixed when the change happened, so a retry sends the same invite). */
  sequence: number;
  /** booking.reminder: the start time it was scheduled for; a moved booking's old reminder is not sent. */
  startsAt?: string;
  extra: NotifyExtra;
}

export function mailKey(bookingId: string, event: NotifyEvent, recipient: Recipient, discriminator?: string): string {
  return `mail:${bookingId}:${event}:${recipient}${discriminator ? `:${discriminator}` : ""}`;
}

/**
 * The one entry point: tell the people concerned about a booking event. Call it inside the transaction that
 * makes the change; it enqueues one durable mail job per recipient (keyed by booking, event, recipient and, for
 * events that can happen twice, a discriminator), so a replayed webhook or a retried job never mails twice.
 * A reschedule or cancellation raises the booking's ics sequence here, in the same transaction.
 * A confirmation or reschedule also schedules the 24-hour reminders.
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<void> {
  const { bookingId, event, ...extra } = input;
  const booking = await tx.booking.findUnique({ where: { id: bookingId }, select: { startsAt: true, icsSequence: true } });
  if (!booking) return;
  let sequence = booking.icsSequence;
  if (event === "booking.rescheduled" || event === "booking.cancelled") {
    const raised = await tx.booking.update({ where: { id: bookingId }, data: { icsSequence: { increment: 1 } }, select: { icsSequence: true } });
    sequence = raised.icsSequence;
  }
  const discriminator = extra.discriminator ?? extra.refundId ?? (event === "booking.rescheduled" ? `seq${sequence}` : undefined);
  for (const recipient of RECIPIENTS[event]) {
    await enqueueMail(tx, { bookingId, event, recipient, sequence, extra }, discriminator);
  }
  if (event === "booking.confirmed" || event === "booking.rescheduled") await scheduleReminders(tx, bookingId, booking.startsAt, sequence);
}

async function enqueueMail(tx: Tx, job: Omit<MailJobPayload, "key">, discriminator?: string, runAt?: Date) {
  const key = mailKey(job.bookingId, job.event, job.recipient, discriminator);
  await enqueue(tx, { kind: JOB.mailSend, payload: { ...job, key } satisfies MailJobPayload as unknown as Record<string, unknown>, dedupeKey: key, runAt, maxAttempts: 8 });
}

/**
 * Reminders run 24 h before the session. A session that starts within 24 h of being booked gets none. The key
 * holds the start time, so a moved booking gets a reminder for its new time, and the old one, when it comes due,
 * sees the start time changed and sends nothing.
 */
async function scheduleReminders(tx: Tx, bookingId: string, startsAt: Date, sequence: number) {
  const runAt = new Date(startsAt.getTime() - REMINDER_LEAD_MS);
  if (runAt.getTime() <= Date.now()) return;
  for (const recipient of RECIPIENTS["booking.reminder"]) {
    await enqueueMail(tx, { bookingId, event: "booking.reminder", recipient, sequence, startsAt: startsAt.toISOString(), extra: {} }, startsAt.toISOString(), runAt);
  }
}
