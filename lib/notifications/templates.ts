import { formatMoney } from "@/lib/money";
import { formatSessionTime } from "@/lib/mail/format";
import { renderMail, type MailContent, type RenderedMail } from "@/lib/mail/render";
import type { NotifyEvent, NotifyExtra, Recipient } from "./events";

/** Everything a mail may say, read from the database at send time (lib/notifications/send.ts). */
export interface MailContext {
  recipient: Recipient;
  recipientName: string;
  timeZone: string;
  title: string;
  coachName: string;
  studentName: string;
  startsAt: Date;
  endsAt: Date;
  priceMinor: number;
  currency: string;
  paidMinor: number;
  bookingUrl: string;
  bookAgainUrl: string;
  googleCalendarUrl: string | null;
  cancelReason: string | null;
  refund: { amountMinor: number; currency: string; status: string } | null;
  /** Cal.com (API-key mode) sends the calendar invite itself; ours is left out. */
  calcomSendsInvites: boolean;
}

export function renderNotification(event: NotifyEvent, ctx: MailContext, extra: NotifyExtra): RenderedMail {
  return renderMail(CONTENT[event](ctx, extra));
}

const when = (ctx: MailContext) => formatSessionTime(ctx.startsAt, ctx.endsAt, ctx.timeZone);
const money = (ctx: MailContext, minor: number) => formatMoney(minor, ctx.currency);
const other = (ctx: MailContext) => (ctx.recipient === "student" ? ["Coach", ctx.coachName] : ["Student", ctx.studentName]) as [string, string];
const viewBooking = (ctx: MailContext) => ({ label: "View booking", url: ctx.bookingUrl });
const calendarLinks = (ctx: MailContext) => (ctx.googleCalendarUrl ? [{ label: "Add to Google Calendar", url: ctx.googleCalendarUrl }] : []);
const INVITE_NOTE = "The invite attached adds the session to your calendar.";
const CALCOM_INVITE_NOTE = "Cal.com sends the calendar invite for this session separately.";

const REFUND_STATE: Record<string, string> = {
  pending: "on its way (usually 5–10 business days to show on your statement)",
  succeeded: "completed",
  failed: "failed — we will be in touch",
  canceled: "cancelled",
  requires_action: "waiting for an action",
};

const CONTENT: Record<NotifyEvent, (ctx: MailContext, extra: NotifyExtra) => MailContent> = {
  "booking.confirmed": (ctx) => ({
    subject: ctx.recipient === "student" ? `Booking confirmed: ${ctx.title} with ${ctx.coachName}` : `New booking: ${ctx.title} with ${ctx.studentName}`,
    heading: ctx.recipient === "student" ? "Your session is booked" : "You have a new booking",
    intro: ctx.recipient === "student" ? `Hi ${ctx.recipientName}, your payment went through and your session is confirmed.` : `Hi ${ctx.recipientName}, ${ctx.studentName} booked and paid for a session.`,
    facts: [["Session", ctx.title], ["When", when(ctx)], other(ctx), [ctx.recipient === "student" ? "Paid" : "Price", money(ctx, ctx.recipient === "student" ? ctx.paidMinor || ctx.priceMinor : ctx.priceMinor)]],
    // Offerings have no meeting place or video link yet (nothing in the data model); when they do, it goes here.
    notes: [ctx.calcomSendsInvites ? CALCOM_INVITE_NOTE : INVITE_NOTE],
    action: viewBooking(ctx),
    secondaryLinks: calendarLinks(ctx),
  }),
  "hold.expired": (ctx) => ({
    subject: `Your hold ended: ${ctx.title} with ${ctx.coachName}`,
    heading: "Your held time was released",
    intro: `Hi ${ctx.recipientName}, the time we held for you ended before the payment arrived, so the slot was released. You have not been charged.`,
    facts: [["Session", ctx.title], ["When", when(ctx)], other(ctx)],
    action: { label: "Book again", url: ctx.bookAgainUrl },
  }),
  "payment.failed": (ctx) => ({
    subject: `Payment failed: ${ctx.title} with ${ctx.coachName}`,
    heading: "Your payment did not go through",
    intro: `Hi ${ctx.recipientName}, the payment for this session failed, so the slot was released. You have not been charged.`,
    facts: [["Session", ctx.title], ["When", when(ctx)], other(ctx)],
    action: { label: "Book again", url: ctx.bookAgainUrl },
  }),
  "booking.cancelled": (ctx, extra) => {
    const refundMinor = extra.refundAmountMinor ?? ctx.refund?.amountMinor ?? 0;
    const refundState = ctx.refund ? (REFUND_STATE[ctx.refund.status] ?? ctx.refund.status) : refundMinor > 0 ? REFUND_STATE.pending : null;
    const by = extra.cancelledBy === "coach" ? ctx.coachName : extra.cancelledBy === "student" ? ctx.studentName : null;
    return {
      subject: `Cancelled: ${ctx.title} on ${formatSessionTime(ctx.startsAt, ctx.endsAt, ctx.timeZone).split(",")[0]}`,
      heading: "Session cancelled",
      intro: `Hi ${ctx.recipientName}, this session was cancelled${by ? ` by ${by}` : ""}.${ctx.calcomSendsInvites ? "" : " The invite attached removes it from your calendar."}`,
      facts: [
        ["Session", ctx.title],
        ["Was", when(ctx)],
        other(ctx),
        ...(ctx.recipient === "student" ? ([["Refund", refundMinor > 0 ? `${money(ctx, refundMinor)} — ${refundState}` : "none"]] as [string, string][]) : []),
      ],
      notes: ctx.cancelReason ? [ctx.cancelReason] : [],
      action: viewBooking(ctx),
    };
  },
  "refund.succeeded": (ctx) => ({
    subject: `Refund completed: ${ctx.title}`,
    heading: "Your refund is on its way",
    intro: `Hi ${ctx.recipientName}, we refunded your payment for this session. It usually shows on your statement within 5–10 business days.`,
    facts: [["Session", ctx.title], ["When", when(ctx)], ["Refunded", ctx.refund ? formatMoney(ctx.refund.amountMinor, ctx.refund.currency) : "—"]],
    action: viewBooking(ctx),
  }),
  "refund.failed": (ctx) => ({
    subject: `Refund failed: ${ctx.title}`,
    heading: "Your refund did not go through",
    intro: `Hi ${ctx.recipientName}, the bank declined the refund for this session. We will contact you to settle it; you do not need to do anything now.`,
    facts: [["Session", ctx.title], ["When", when(ctx)], ["Amount", ctx.refund ? formatMoney(ctx.refund.amountMinor, ctx.refund.currency) : "—"]],
    action: viewBooking(ctx),
  }),
  "booking.rescheduled": (ctx, extra) => {
    const previous = extra.previousStartsAt && extra.previousEndsAt ? formatSessionTime(new Date(extra.previousStartsAt), new Date(extra.previousEndsAt), ctx.timeZone) : null;
    const diff = extra.differenceMinor ?? 0;
    const difference: [string, string][] = diff > 0 ? [["Difference paid", money(ctx, diff)]] : diff < 0 ? [["Difference refunded", money(ctx, -diff)]] : [];
    return {
      subject: `Rescheduled: ${ctx.title} — now ${formatSessionTime(ctx.startsAt, ctx.endsAt, ctx.timeZone)}`,
      heading: "Your session moved",
      intro: `Hi ${ctx.recipientName}, this session has a new time.${ctx.calcomSendsInvites ? "" : " The invite attached moves it in your calendar."}`,
      facts: [["Session", ctx.title], ["New time", when(ctx)], ...(previous ? ([["Was", previous]] as [string, string][]) : []), other(ctx), ...difference],
      action: viewBooking(ctx),
      secondaryLinks: calendarLinks(ctx),
    };
  },
  "reschedule.payment_needed": (ctx, extra) => ({
    subject: `Payment needed to reschedule: ${ctx.title}`,
    heading: "One step left to move your session",
    intro: `Hi ${ctx.recipientName}, the new time costs more than the one you paid for. Pay the difference to complete the move.`,
    facts: [["Session", ctx.title], ["Current time", when(ctx)], ["To pay", extra.amountMinor != null ? money(ctx, extra.amountMinor) : "see the booking page"]],
    action: { label: "Pay the difference", url: extra.payUrl ?? ctx.bookingUrl },
  }),
  "booking.reminder": (ctx) => ({
    subject: `Tomorrow: ${ctx.title} with ${ctx.recipient === "student" ? ctx.coachName : ctx.studentName}`,
    heading: "Your session is coming up",
    intro: `Hi ${ctx.recipientName}, a reminder that your session starts in about 24 hours.`,
    facts: [["Session", ctx.title], ["When", when(ctx)], other(ctx)],
    action: viewBooking(ctx),
  }),
};
