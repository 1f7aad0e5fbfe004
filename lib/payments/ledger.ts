import type { Prisma } from "@/lib/generated/prisma/client";
import { enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";

/**
 * The refund ledger. A refund is first written as a row (status "requested", its amount and Stripe idempotency key
 * fixed) in the same transaction as the decision to refund, and a job sends it to Stripe. So a crash or a retry
 * re-sends the same amount under the same key, and two concurrent decisions cannot both refund (the payment row is
 * locked while the remaining amount is computed). Amounts refunded are always derived from the refund rows that
 * did not fail, never accumulated, so a failed refund puts the money back on the books (and is surfaced).
 */

/** Refund statuses that still count (money returned, on its way, or about to be asked for). */
export const LIVE_REFUND_STATUSES = ["requested", "pending", "requires_action", "succeeded"] as const;
const LIVE = new Set<string>(LIVE_REFUND_STATUSES);

export type RefundReason =
  | "paid-too-late"
  | "amount-mismatch"
  | "coach-cancelled"
  | "admin-cancelled"
  | "student-cancelled"
  | "calcom-refused"
  | "reschedule-difference"
  | "refund";

/** Stripe's own reason field only knows three values; everything a person asked for is requested_by_customer. */
export function stripeRefundReason(reason: RefundReason): "requested_by_customer" | "duplicate" {
  return reason === "amount-mismatch" ? "duplicate" : "requested_by_customer";
}

export interface RefundRequest {
  paymentId: string;
  /** null: everything still refundable. Clamped to what was paid minus what is already refunded or on its way. */
  amountMinor: number | null;
  reason: RefundReason;
  /** Business intent, e.g. `cancel:<bookingId>`; becomes part of the Stripe idempotency key. */
  key: string;
  cause?: string;
}

export interface RequestedRefund {
  refundId: string;
  amountMinor: number;
  currency: string;
  created: boolean;
}

/**
 * Records a refund intent and queues the Stripe call, inside the caller's transaction. Repeating the same key
 * returns the refund already recorded (never a second one). Returns null when nothing is left to refund.
 */
export async function requestRefund(tx: Prisma.TransactionClient, request: RefundRequest): Promise<RequestedRefund | null> {
  await tx.$queryRaw`SELECT id FROM payments WHERE id = ${request.paymentId} FOR UPDATE`;
  const idempotencyKey = `refund:${request.key}:${request.paymentId}`;
  const existing = await tx.refund.findUnique({ where: { idempotencyKey } });
  if (existing) return { refundId: existing.id, amountMinor: existing.amountMinor, currency: existing.currency, created: false };
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: request.paymentId }, include: { refunds: true } });
  if (payment.status === "PENDING" || payment.status === "FAILED") return null;
  const committed = payment.refunds.filter((r) => LIVE.has(r.status)).reduce((sum, r) => sum + r.amountMinor, 0);
  const remaining = payment.amountMinor - committed;
  const amount = request.amountMinor === null ? remaining : Math.min(request.amountMinor, remaining);
  if (amount <= 0) return null;
  const refund = await tx.refund.create({
    data: { paymentId: payment.id, amountMinor: amount, currency: payment.currency, status: "requested", reason: request.reason, idempotencyKey },
  });
  await enqueue(tx, { kind: JOB.stripeRefund, payload: { refundId: refund.id }, dedupeKey: `stripe-refund:${refund.id}`, cause: request.cause ?? request.reason });
  await recomputeLedger(tx, payment.id);
  return { refundId: refund.id, amountMinor: amount, currency: payment.currency, created: true };
}

/**
 * Refunds up to `amountMinor` of a booking (null: all of it) across its paid payments, newest first (a reschedule
 * difference is refunded before the original charge; no refund can exceed its own charge).
 */
export async function refundBooking(
  tx: Prisma.TransactionClient,
  bookingId: string,
  amountMinor: number | null,
  reason: RefundReason,
  key: string,
  cause?: string,
): Promise<{ amountMinor: number; refundIds: string[] }> {
  const payments = await tx.payment.findMany({
    where: { bookingId, status: { in: ["SUCCEEDED", "PARTIALLY_REFUNDED", "REFUNDED"] } },
    orderBy: { createdAt: "desc" },
  });
  let left = amountMinor;
  let total = 0;
  const refundIds: string[] = [];
  for (const payment of payments) {
    if (left !== null && left <= 0) break;
    const requested = await requestRefund(tx, { paymentId: payment.id, amountMinor: left, reason, key, cause });
    if (!requested) continue;
    total += requested.amountMinor;
    refundIds.push(requested.refundId);
    if (left !== null) left -= requested.amountMinor;
  }
  return { amountMinor: total, refundIds };
}

/** Sets the payment's refunded total and status from its refund rows (failed and cancelled ones do not count). */
export async function recomputeLedger(tx: Prisma.TransactionClient, paymentId: string): Promise<void> {
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { refunds: true } });
  if (payment.status === "PENDING" || payment.status === "FAILED") return;
  const refunded = Math.min(
    payment.amountMinor,
    payment.refunds.filter((r) => LIVE.has(r.status)).reduce((sum, r) => sum + r.amountMinor, 0),
  );
  const status = refunded <= 0 ? "SUCCEEDED" : refunded >= payment.amountMinor ? "REFUNDED" : "PARTIALLY_REFUNDED";
  await tx.payment.update({ where: { id: paymentId }, data: { amountRefundedMinor: refunded, status } });
}

export type RefundState = "none" | "pending" | "succeeded" | "failed";

/** What a person is told about a booking's refunds: the true state, from the rows. */
export function refundSummary(refunds: { amountMinor: number; status: string }[]): { refundedMinor: number; pendingMinor: number; failedMinor: number; state: RefundState } {
  let refundedMinor = 0, pendingMinor = 0, failedMinor = 0;
  for (const r of refunds) {
    if (r.status === "succeeded") refundedMinor += r.amountMinor;
    else if (r.status === "failed" || r.status === "canceled") failedMinor += r.amountMinor;
    else pendingMinor += r.amountMinor;
  }
  const state: RefundState = pendingMinor > 0 ? "pending" : failedMinor > 0 && refundedMinor === 0 ? "failed" : refundedMinor > 0 ? "succeeded" : failedMinor > 0 ? "failed" : "none";
  return { refundedMinor, pendingMinor, failedMinor, state };
}
