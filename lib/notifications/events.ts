/**
 * The booking events people are told about, who hears of each, and what the caller passes along. The mail is
 * rendered at send time from the database; `extra` carries only what the database no longer knows afterwards
 * (the old time of a reschedule, the amount being refunded).
 */
export const NOTIFY_EVENTS = [
  "booking.confirmed",
  "hold.expired",
  "payment.failed",
  "booking.cancelled",
  "refund.succeeded",
  "refund.failed",
  "booking.rescheduled",
  "reschedule.payment_needed",
  "booking.reminder",
] as const;

export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export type Recipient = "student" | "coach";

export const RECIPIENTS: Record<NotifyEvent, Recipient[]> = {
  "booking.confirmed": ["student", "coach"],
  "hold.expired": ["student"],
  "payment.failed": ["student"],
  "booking.cancelled": ["student", "coach"],
  "refund.succeeded": ["student"],
  "refund.failed": ["student"],
  "booking.rescheduled": ["student", "coach"],
  "reschedule.payment_needed": ["student"],
  "booking.reminder": ["student", "coach"],
};

/** What each event may carry besides the booking id (all optional: mails fall back to what the DB says). */
export interface NotifyExtra {
  /** booking.cancelled: who cancelled, and the amount being refunded (minor units; 0 = no refund). */
  cancelledBy?: "student" | "coach" | "admin";
  refundAmountMinor?: number;
  /** refund.*: the Stripe refund id (the discriminator: one mail per refund). */
  refundId?: string;
  /** booking.rescheduled: the time it moved from; differenceMinor > 0 was paid extra, < 0 refunded. */
  previousStartsAt?: string;
  previousEndsAt?: string;
  differenceMinor?: number;
  /** reschedule.payment_needed: what is owed and where to pay it. */
  amountMinor?: number;
  payUrl?: string;
  /** Makes a repeatable event distinct (e.g. a payment id); a reschedule uses the new ics sequence by default. */
  discriminator?: string;
}

export type NotifyInput = { bookingId: string; event: NotifyEvent } & NotifyExtra;

/** Events whose mail carries the calendar invite, and with which METHOD. */
export const INVITE_METHOD: Partial<Record<NotifyEvent, "REQUEST" | "CANCEL">> = {
  "booking.confirmed": "REQUEST",
  "booking.rescheduled": "REQUEST",
  "booking.cancelled": "CANCEL",
};
