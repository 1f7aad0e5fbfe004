import { addMinutes, getUnixTime, max } from "date-fns";
import type Stripe from "stripe";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { notify } from "@/lib/notifications";
import { recordFinding } from "@/lib/ops/findings";
import { recomputeLedger, requestRefund } from "@/lib/payments/ledger";
import { delayedMethodsAllowed } from "@/lib/payments/checkout";
import { getStripe, toAppError } from "@/lib/payments/stripe";
import type { ConfirmOutcome, PaidCheckout } from "./confirm";
import { type Tx, lockBooking } from "./cancel-access";
import { completeMove } from "./reschedule-move";
import { releaseHold } from "./release";

const HELD = new Set(["PENDING_PAYMENT", "AWAITING_FUNDS"]);
const APPLIED = new Set(["SUCCEEDED", "REFUNDED", "PARTIALLY_REFUNDED"]);
const MIN_CHECKOUT_MINUTES = 31;

/**
 * A booking made by a move: it is only ever paid through a difference Checkout Session. (rescheduledFromId is set
 * when the row is created and never changes, so reading it before any lock is safe.)
 */
export async function isRescheduleHold(tx: Tx, bookingId: string): Promise<boolean> {
  const row = await tx.booking.findUnique({ where: { id: bookingId }, select: { rescheduledFromId: true } });
  return Boolean(row?.rescheduledFromId);
}

/**
 * The Checkout Session for the difference of a dearer move.
 * Idempotent by the hold's id, so concurrent or repeated requests get the same session and one payment row.
 */
export async function ensureDifferenceCheckout(holdId: string): Promise<Stripe.Checkout.Session> {
  const hold = await db.booking.findUniqueOrThrow({ where: { id: holdId }, include: { student: { select: { email: true } } } });
  if (!hold.rescheduledFromId) throw new Error(`booking ${holdId} is not a reschedule`);
  if (hold.status !== "PENDING_PAYMENT") throw new AppError("CONFLICT", "This move was replaced or has ended; please start it again.");
  const original = await db.booking.findUniqueOrThrow({ where: { id: hold.rescheduledFromId } });
  const difference = hold.priceMinor - original.priceMinor;
  const expiresAt = max([hold.holdExpiresAt ?? new Date(), addMinutes(new Date(), MIN_CHECKOUT_MINUTES)]);
  const appUrl = env().APP_URL;
  let session: Stripe.Checkout.Session;
  try {
    session = await getStripe().checkout.sessions.create(
      {
        mode: "payment",
        client_reference_id: hold.id,
        customer_email: hold.student.email,
        line_items: [{ quantity: 1, price_data: { currency: hold.currency, unit_amount: difference, product_data: { name: `Move to ${hold.title} (difference)` } } }],
        // Same rule as a booking: delayed payment methods only when the session is far enough away for them to settle.
        ...(delayedMethodsAllowed(hold.startsAt, new Date()) ? {} : { payment_method_types: ["card" as const] }),
        metadata: { bookingId: hold.id, kind: "RESCHEDULE_DIFFERENCE", originalBookingId: original.id },
        payment_intent_data: { metadata: { bookingId: hold.id, kind: "RESCHEDULE_DIFFERENCE" } },
        expires_at: getUnixTime(expiresAt),
        success_url: `${appUrl}/student/bookings/${hold.id}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${appUrl}/student/bookings/${original.id}?checkout=cancelled`,
      },
      { idempotencyKey: `checkout:${hold.id}` },
    );
  } catch (error) {
    throw toAppError(error, "start the payment for the difference");
  }
  if (!session.url) throw new AppError("UPSTREAM_ERROR", "Stripe returned no checkout URL.");
  const sessionId = session.id;
  const stillHeld = await db.$transaction(async (tx) => {
    const locked = await lockBooking(tx, hold.id);
    await tx.booking.update({ where: { id: hold.id }, data: { stripeCheckoutSessionId: sessionId, checkoutUrl: session.url } });
    await tx.payment.upsert({
      where: { stripeCheckoutSessionId: sessionId },
      create: { bookingId: hold.id, kind: "RESCHEDULE_DIFFERENCE", amountMinor: difference, currency: hold.currency, status: "PENDING", stripeCheckoutSessionId: sessionId },
      update: {},
    });
    if (locked?.status === "PENDING_PAYMENT") {
      if (session.url) await notify(tx, { bookingId: original.id, event: "reschedule.payment_needed", amountMinor: difference, payUrl: session.url, discriminator: hold.id });
      return true;
    }
    // Released while Stripe was creating the session (replaced by another move, or the original was cancelled):
    // the session must not stay payable.
    await enqueue(tx, { kind: JOB.stripeExpireCheckout, payload: { sessionId }, dedupeKey: `expire-checkout:${sessionId}`, cause: "move replaced before its checkout existed" });
    return false;
  });
  if (!stillHeld) throw new AppError("CONFLICT", "This move was replaced or has ended; please start it again.");
  return session;
}

/**
 * A paid difference (dispatched from applyPaidCheckout, whoever calls it: webhook, success page, expiry job): the move completes if the hold is
 * still live and the original is still booked; otherwise (the hold lapsed, the original was cancelled or moved, the
 * amount is wrong) the difference is refunded in full and the original stays as it was. Late redeliveries change
 * nothing.
 */
export async function applyPaidDifference(tx: Tx, paid: PaidCheckout): Promise<ConfirmOutcome> {
  // Lock order: the original booking, then the hold (as cancel and reschedule do), so they never deadlock.
  const originalId = (await tx.booking.findUniqueOrThrow({ where: { id: paid.bookingId }, select: { rescheduledFromId: true } })).rescheduledFromId;
  const original = originalId ? await lockBooking(tx, originalId) : null;
  const hold = (await lockBooking(tx, paid.bookingId))!;
  const existing = await tx.payment.findUnique({ where: { stripeCheckoutSessionId: paid.sessionId } });
  if (existing && APPLIED.has(existing.status)) return "already-applied";
  const payment = await tx.payment.upsert({
    where: { stripeCheckoutSessionId: paid.sessionId },
    create: { bookingId: hold.id, kind: "RESCHEDULE_DIFFERENCE", amountMinor: paid.amountMinor, currency: paid.currency, status: "SUCCEEDED", stripeCheckoutSessionId: paid.sessionId, stripePaymentIntentId: paid.paymentIntentId },
    update: { status: "SUCCEEDED", stripePaymentIntentId: paid.paymentIntentId ?? undefined, amountMinor: paid.amountMinor, currency: paid.currency },
  });
  await recomputeLedger(tx, payment.id);
  const now = new Date();
  const expected = original ? hold.priceMinor - original.priceMinor : -1;
  const matches = paid.amountMinor === expected && paid.currency.toLowerCase() === hold.currency.toLowerCase();
  if (original && matches && HELD.has(hold.status) && original.status === "CONFIRMED" && hold.startsAt > now) {
    const moved = await tx.booking.update({ where: { id: hold.id }, data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null } });
    await completeMove(tx, original, moved, hold.rescheduledBy ?? "STUDENT", now);
    return "confirmed";
  }
  const why = !matches
    ? `Paid ${paid.amountMinor} ${paid.currency} for a difference of ${expected} ${hold.currency}.`
    : original?.status !== "CONFIRMED"
      ? "The original booking had changed before the difference was paid."
      : "The difference was paid after the hold for the new time had ended.";
  if (HELD.has(hold.status)) {
    await releaseHold(tx, hold.id, "CANCELLED", `${why} The move was not made and the difference is being refunded.`, { expireCheckout: false, cause: "difference not applicable" });
  } else {
    await tx.booking.update({ where: { id: hold.id }, data: { cancelReason: `${why} The move was not made and the difference is being refunded.` } });
  }
  if (!matches) await recordFinding(tx, { kind: "amount-mismatch", subject: paid.sessionId, bookingId: hold.id, detail: why, fixed: true });
  await requestRefund(tx, { paymentId: payment.id, amountMinor: null, reason: "reschedule-difference", key: `difference-unused:${paid.sessionId}`, cause: why });
  log.warn("reschedule difference refunded", { holdId: hold.id, why });
  return "refunding";
}
