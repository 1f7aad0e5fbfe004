import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { notify } from "@/lib/notifications";

type ReleasedStatus = "EXPIRED" | "PAYMENT_FAILED" | "CANCELLED";

/**
 * Ends a hold (guarded: only a booking still PENDING_PAYMENT changes) and queues the clean-up that must happen
 * outside: the Checkout Session is expired so it can no longer be paid, and the pending Cal.com booking is
 * declined. Returns whether this call released it.
 */
export async function releaseHold(
  tx: Prisma.TransactionClient,
  bookingId: string,
  status: ReleasedStatus,
  reason: string,
  options: { onlyForSession?: string; expireCheckout?: boolean; calcomDelayMs?: number } = {},
): Promise<boolean> {
  const released = await tx.booking.updateMany({
    where: { id: bookingId, status: "PENDING_PAYMENT", ...(options.onlyForSession ? { stripeCheckoutSessionId: options.onlyForSession } : {}) },
    data: { status, cancelledAt: new Date(), cancelReason: reason, holdExpiresAt: null },
  });
  if (released.count === 0) return false;
  const booking = await tx.booking.findUniqueOrThrow({ where: { id: bookingId }, select: { stripeCheckoutSessionId: true } });
  if (options.expireCheckout !== false && booking.stripeCheckoutSessionId) {
    await enqueue(tx, { kind: JOB.stripeExpireCheckout, payload: { sessionId: booking.stripeCheckoutSessionId }, dedupeKey: `expire-checkout:${booking.stripeCheckoutSessionId}` });
  }
  await enqueue(tx, {
    kind: JOB.calcomRelease,
    payload: { bookingId },
    dedupeKey: `calcom-release:${bookingId}`,
    runAt: new Date(Date.now() + (options.calcomDelayMs ?? 0)),
  });
  await tx.payment.updateMany({ where: { bookingId, status: "PENDING" }, data: { status: "FAILED" } });
  if (status !== "CANCELLED") await notify(tx, { bookingId, event: status === "EXPIRED" ? "hold.expired" : "payment.failed" });
  return true;
}

/** Releases every hold whose time is up. Runs on a timer in the app process (lib/jobs/worker.ts). */
export async function sweepExpiredHolds(now = new Date()): Promise<number> {
  const due = await db.booking.findMany({
    where: { status: "PENDING_PAYMENT", holdExpiresAt: { lte: now } },
    select: { id: true },
    take: 200,
  });
  let released = 0;
  for (const { id } of due) {
    const done = await db.$transaction((tx) => releaseHold(tx, id, "EXPIRED", "The hold ended before payment."));
    if (done) released++;
  }
  return released;
}
