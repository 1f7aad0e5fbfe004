import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor, BookingStatus } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db/client";
import { defineJob, enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { getStripe, isPaidSession, paidCheckoutFrom, stripeConfigured } from "@/lib/payments/stripe";
import { applyPaidCheckout, awaitFunds } from "./confirm";
import { notify } from "@/lib/notifications";

type ReleasedStatus = "EXPIRED" | "PAYMENT_FAILED" | "CANCELLED";

export interface ReleaseOptions {
  onlyForSession?: string;
  expireCheckout?: boolean;
  calcomDelayMs?: number;
  /** Release only an unpaid hold (PENDING_PAYMENT), not one whose funds are on their way (AWAITING_FUNDS). */
  onlyHeld?: boolean;
  endedBy?: Actor;
  cause?: string;
}

/**
 * Ends a hold (guarded: only a booking still held changes) and queues the clean-up that must happen outside: the
 * Checkout Session is expired so it can no longer be paid, and the pending Cal.com booking is declined. Returns
 * whether this call released it.
 */
export async function releaseHold(tx: Prisma.TransactionClient, bookingId: string, status: ReleasedStatus, reason: string, options: ReleaseOptions = {}): Promise<boolean> {
  const from: BookingStatus[] = options.onlyHeld ? ["PENDING_PAYMENT"] : ["PENDING_PAYMENT", "AWAITING_FUNDS"];
  const released = await tx.booking.updateMany({
    where: { id: bookingId, status: { in: from }, ...(options.onlyForSession ? { stripeCheckoutSessionId: options.onlyForSession } : {}) },
    data: { status, cancelledAt: new Date(), cancelReason: reason, holdExpiresAt: null, endedBy: options.endedBy ?? "SYSTEM" },
  });
  if (released.count === 0) return false;
  const booking = await tx.booking.findUniqueOrThrow({ where: { id: bookingId }, select: { stripeCheckoutSessionId: true } });
  const cause = options.cause ?? reason;
  if (options.expireCheckout !== false && booking.stripeCheckoutSessionId) {
    await enqueue(tx, { kind: JOB.stripeExpireCheckout, payload: { sessionId: booking.stripeCheckoutSessionId }, dedupeKey: `expire-checkout:${booking.stripeCheckoutSessionId}`, cause });
  }
  await enqueue(tx, { kind: JOB.calcomRelease, payload: { bookingId }, dedupeKey: `calcom-release:${bookingId}`, delayMs: options.calcomDelayMs ?? 0, cause });
  await tx.payment.updateMany({ where: { bookingId, status: "PENDING" }, data: { status: "FAILED" } });
  if (status !== "CANCELLED") await notify(tx, { bookingId, event: status === "EXPIRED" ? "hold.expired" : "payment.failed" });
  return true;
}

/** Seconds after a hold's end before it is released: a payment made in its last seconds has time to land. */
export function holdGraceSeconds(): number {
  const value = Number(process.env.HOLD_GRACE_SECONDS ?? 60);
  return Number.isFinite(value) && value >= 0 ? value : 60;
}

/**
 * Queues the release of every hold whose time (plus the grace period) is up, on the database's clock. Each release
 * is its own job (lib/jobs), so it has a lease, retries, and can ask Stripe first. Runs on its own timer in every
 * app process (lib/jobs/worker.ts); the dedupe key makes that harmless. Returns how many were queued.
 */
export async function sweepExpiredHolds(): Promise<number> {
  const due = await db.$queryRaw<{ id: string; status: string }[]>`
    SELECT id, status::text AS status FROM bookings
    WHERE status IN ('PENDING_PAYMENT', 'AWAITING_FUNDS') AND hold_expires_at <= now() - make_interval(secs => ${holdGraceSeconds()})
    ORDER BY hold_expires_at LIMIT 500`;
  for (const { id, status } of due) {
    await enqueue(db, { kind: JOB.bookingExpireHold, payload: { bookingId: id }, dedupeKey: `expire-hold:${id}:${status}`, cause: status === "AWAITING_FUNDS" ? "funds deadline passed" : "hold expired" });
  }
  return due.length;
}

/** After this many failed attempts to ask Stripe, a hold is released anyway: a payment that then lands is still safe (re-acquire or refund). */
const ASK_STRIPE_ATTEMPTS = 3;

/**
 * Job: end a hold whose time is up, unless its Checkout Session was paid meanwhile (the webhook is late): then the
 * payment is applied instead, with no needless Cal.com decline or refund. A session completed with a delayed
 * payment method moves the hold to AWAITING_FUNDS. An open session is expired at Stripe before the release, so it
 * cannot be paid after the slot is freed (if the student pays in between, the expire fails and we apply the payment).
 */
const expireHold = defineJob(z.object({ bookingId: z.string().min(1) }), async ({ bookingId }, meta) => {
  const booking = await db.booking.findUnique({ where: { id: bookingId } });
  if (!booking || (booking.status !== "PENDING_PAYMENT" && booking.status !== "AWAITING_FUNDS")) return;
  const sessionId = booking.stripeCheckoutSessionId;
  let expiredAtStripe = false;
  if (sessionId && stripeConfigured()) {
    try {
      const stripe = getStripe();
      let session = await stripe.checkout.sessions.retrieve(sessionId);
      if (session.status === "open") {
        session = await stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire:${sessionId}` }).catch(() => stripe.checkout.sessions.retrieve(sessionId));
      }
      expiredAtStripe = session.status !== "open";
      if (isPaidSession(session)) {
        const outcome = await db.$transaction((tx) => applyPaidCheckout(tx, paidCheckoutFrom(session, bookingId, { amountMinor: booking.priceMinor, currency: booking.currency })));
        log.info("hold was paid at the last moment; applied instead of released", { bookingId, outcome });
        return;
      }
      if (session.status === "complete" && booking.status === "PENDING_PAYMENT") {
        await db.$transaction((tx) => awaitFunds(tx, bookingId, sessionId));
        return;
      }
    } catch (error) {
      if (meta.attempts < ASK_STRIPE_ATTEMPTS) throw error;
      log.warn("could not ask Stripe about an expiring hold; releasing it anyway", { bookingId, error });
    }
  }
  const awaiting = booking.status === "AWAITING_FUNDS";
  await db.$transaction((tx) =>
    releaseHold(tx, bookingId, "EXPIRED", awaiting ? "The payment had not arrived by the deadline before the session." : "The hold ended before payment.", {
      expireCheckout: !expiredAtStripe && !awaiting,
      cause: awaiting ? "funds deadline passed" : "hold expired",
    }),
  );
});

export const HOLD_JOBS = { [JOB.bookingExpireHold]: expireHold };
