import { randomUUID } from "node:crypto";
import { z } from "zod";
import { buildInvite, googleCalendarUrl } from "@/lib/calendar/ics";
import { db } from "@/lib/db/client";
import { calcomMode } from "@/lib/env";
import { PermanentJobError, type JobHandler } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { mailDomain, mailFrom, mailTransport } from "@/lib/mail/transport";
import { INVITE_METHOD, NOTIFY_EVENTS, type NotifyEvent, type NotifyExtra, type Recipient } from "./events";
import { bookingUrl, coachPageUrl } from "./links";
import type { MailJobPayload } from "./notify";
import { renderNotification, type MailContext } from "./templates";

const payloadSchema = z.object({
  key: z.string().min(1),
  bookingId: z.string().min(1),
  event: z.enum(NOTIFY_EVENTS),
  recipient: z.enum(["student", "coach"]),
  sequence: z.number().int().min(0),
  startsAt: z.string().optional(),
  extra: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Job: render one mail from the database as it is now, and send it once.
 *
 * Never twice for one key: the job's dedupe key keeps one job per booking event and recipient, and the
 * sent_emails row (unique on the same key) is written, with the Message-ID the mail will carry, BEFORE the SMTP
 * hand-off and marked SENT after it. A retry that finds SENT or SKIPPED does nothing.
 * The crash window: if the process dies after the SMTP server accepted the mail but before the row says SENT, the
 * retry sends it again, with the same Message-ID (mail clients such as Gmail fold identical Message-IDs into
 * one). We chose this at-least-once side over at-most-once (a SENDING row would block any retry), because a lost
 * confirmation or cancellation is worse than a rare duplicate that most clients hide.
 */
export const sendNotificationMail: JobHandler = async (raw) => {
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success) throw new PermanentJobError(`bad mail job payload: ${parsed.error.message}`);
  const job = parsed.data as MailJobPayload;
  const previous = await db.sentEmail.findUnique({ where: { dedupeKey: job.key } });
  if (previous && previous.status !== "SENDING") return;

  const booking = await db.booking.findUnique({
    where: { id: job.bookingId },
    include: { student: true, coach: { include: { user: true } }, payments: { include: { refunds: { orderBy: { createdAt: "desc" } } } } },
  });
  if (!booking) throw new PermanentJobError(`booking ${job.bookingId} not found`);
  const person = job.recipient === "student" ? booking.student : booking.coach.user;
  const base = { dedupeKey: job.key, bookingId: booking.id, event: job.event, recipient: person.email };

  const stale = staleReason(job, booking);
  const transport = stale ? null : mailTransport();
  if (stale || !transport) {
    const note = stale ?? "skipped: mail off";
    await db.sentEmail.upsert({ where: { dedupeKey: job.key }, create: { ...base, messageId: "-", status: "SKIPPED", note }, update: { status: "SKIPPED", note } });
    return;
  }

  // The row first (or the one an earlier attempt left), so every attempt sends with the same Message-ID.
  await db.sentEmail.createMany({ data: [{ ...base, messageId: `<${randomUUID()}@${mailDomain()}>`, status: "SENDING" }], skipDuplicates: true });
  const row = await db.sentEmail.findUniqueOrThrow({ where: { dedupeKey: job.key } });
  if (row.status !== "SENDING") return;

  const extra = job.extra as NotifyExtra;
  const timeZone = job.recipient === "student" ? booking.studentTimeZone || booking.student.timeZone : booking.coach.user.timeZone;
  const url = bookingUrl(booking.id, job.recipient);
  const refunds = booking.payments.flatMap((p) => p.refunds);
  const refund = extra.refundId ? refunds.find((r) => r.stripeRefundId === extra.refundId) : refunds[0];
  const ctx: MailContext = {
    recipient: job.recipient,
    recipientName: person.name,
    timeZone,
    title: booking.title,
    coachName: booking.coach.user.name,
    studentName: booking.student.name,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    priceMinor: booking.priceMinor,
    currency: booking.currency,
    paidMinor: booking.payments.filter((p) => p.status !== "PENDING" && p.status !== "FAILED").reduce((sum, p) => sum + p.amountMinor, 0),
    bookingUrl: url,
    bookAgainUrl: coachPageUrl(booking.coach.slug),
    googleCalendarUrl: booking.status === "CONFIRMED" ? googleCalendarUrl({ title: `${booking.title} — Coachbook`, startsAt: booking.startsAt, endsAt: booking.endsAt, details: url }) : null,
    cancelReason: booking.cancelReason,
    refund: refund ? { amountMinor: refund.amountMinor, currency: refund.currency, status: refund.status } : null,
    // API-key mode: Cal.com mails its own invite (another UID) for the booking; a second one from us would put
    // the session in the calendar twice. Platform mode: turn Cal.com's mails off on the OAuth client (CALCOM_SETUP.md).
    calcomSendsInvites: calcomMode().kind === "apiKey" && Boolean(booking.calcomBookingUid),
  };
  const mail = renderNotification(job.event, ctx, extra);
  const method = ctx.calcomSendsInvites ? undefined : INVITE_METHOD[job.event];
  const invite = method
    ? buildInvite({
        // One calendar event per reschedule chain (a move makes a new booking row, lib/booking/reschedule*.ts).
        bookingId: booking.seriesId ?? booking.id,
        sequence: job.sequence,
        method,
        title: `${booking.title} — ${booking.coach.user.name} & ${booking.student.name}`,
        description: `Coachbook session. Booking: ${url}`,
        startsAt: booking.startsAt,
        endsAt: booking.endsAt,
        url,
        organizer: { name: "Coachbook", email: mailAddress(mailFrom()) },
        attendees: [
          { name: booking.student.name, email: booking.student.email },
          { name: booking.coach.user.name, email: booking.coach.user.email },
        ],
      })
    : null;

  const info = await transport.sendMail({
    from: mailFrom(),
    to: { name: person.name, address: person.email },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: row.messageId,
    ...(invite && method ? { icalEvent: { method, filename: method === "CANCEL" ? "cancel.ics" : "invite.ics", content: invite } } : {}),
  });
  await db.sentEmail.update({ where: { dedupeKey: job.key }, data: { status: "SENT", sentAt: new Date(), note: null } });
  log.info("mail sent", { event: job.event, recipient: job.recipient, bookingId: booking.id, messageId: info.messageId });
};

/** A mail whose news is no longer true when its turn comes is not sent. */
function staleReason(job: MailJobPayload, booking: { status: string; startsAt: Date }): string | null {
  if (job.event === "booking.reminder") {
    if (booking.status !== "CONFIRMED") return "skipped: booking no longer confirmed";
    if (job.startsAt && new Date(job.startsAt).getTime() !== booking.startsAt.getTime()) return "skipped: booking moved";
  }
  if (job.event === "booking.confirmed" && booking.status !== "CONFIRMED") return "skipped: booking no longer confirmed";
  return null;
}

function mailAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

export const MAIL_JOBS: Record<string, JobHandler> = { [JOB.mailSend]: sendNotificationMail };
export type { NotifyEvent, Recipient };
