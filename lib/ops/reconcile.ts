import { z } from "zod";
import { applyPaidCheckout } from "@/lib/booking/confirm";
import { sweepExpiredHolds } from "@/lib/booking/release";
import { calcomConfigured } from "@/lib/calcom-sync/client";
import { db } from "@/lib/db/client";
import { defineJob, enqueue, pruneOldRecords } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { log } from "@/lib/log";
import { getStripe, isPaidSession, paidCheckoutFrom, stripeConfigured } from "@/lib/payments/stripe";
import { recordFinding } from "./findings";

export interface ReconcileReport {
  holdsQueued: number;
  lostPaymentsApplied: number;
  paidNotConfirmed: number;
  calcomChecksQueued: number;
  notOnCalendar: number;
  deadJobs: number;
  failedRefunds: number;
  errors: number;
}

/** How far back released holds are re-checked with Stripe for a payment whose webhook was lost (Stripe retries for 3 days). */
const LOST_PAYMENT_LOOKBACK_HOURS = 72;
/** A paid booking of a Cal.com coach that is still not accepted there after this long is shown to an operator. */
const NOT_ON_CALENDAR_AFTER_MINUTES = 15;

/**
 * Compares our books with Stripe, Cal.com and the job queue, fixes what is safe to fix and records the rest as
 * findings (/admin/operations). Runs on a schedule (lib/jobs/worker.ts) and on demand. Every step is bounded, so a
 * run stays short however large the tables grow.
 */
export async function reconcile(): Promise<ReconcileReport> {
  const report: ReconcileReport = { holdsQueued: 0, lostPaymentsApplied: 0, paidNotConfirmed: 0, calcomChecksQueued: 0, notOnCalendar: 0, deadJobs: 0, failedRefunds: 0, errors: 0 };

  // 1. Holds past expiry (normally the sweeper's work; here too in case no process ran it).
  report.holdsQueued = await sweepExpiredHolds();

  // 2. Lost Stripe webhooks: a hold released (or awaiting funds) whose session was in fact paid.
  if (stripeConfigured()) {
    const candidates = await db.$queryRaw<{ id: string; session: string; price_minor: number; currency: string }[]>`
      SELECT b.id, b.stripe_checkout_session_id AS session, b.price_minor, b.currency FROM bookings b
      WHERE b.stripe_checkout_session_id IS NOT NULL
        AND ((b.status IN ('EXPIRED', 'PAYMENT_FAILED') AND b.cancelled_at > now() - make_interval(hours => ${LOST_PAYMENT_LOOKBACK_HOURS}))
             OR b.status = 'AWAITING_FUNDS')
        AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.stripe_checkout_session_id = b.stripe_checkout_session_id AND p.status IN ('SUCCEEDED', 'REFUNDED', 'PARTIALLY_REFUNDED'))
      ORDER BY b.updated_at DESC LIMIT 50`;
    for (const candidate of candidates) {
      try {
        const session = await getStripe().checkout.sessions.retrieve(candidate.session);
        if (!isPaidSession(session)) continue;
        await db.$transaction((tx) => applyPaidCheckout(tx, paidCheckoutFrom(session, candidate.id, { amountMinor: candidate.price_minor, currency: candidate.currency })));
        report.lostPaymentsApplied++;
      } catch (error) {
        report.errors++;
        log.warn("reconciler could not check a Checkout Session", { bookingId: candidate.id, error });
      }
    }
  }

  // 3. Money kept on a booking that is not live and was ended by nobody's decision (no policy applies): a bug or a
  //    manual change. Shown, never auto-refunded (a policy-based partial refund is legitimate).
  const unsettled = await db.$queryRaw<{ booking_id: string; payment_id: string; amount_minor: number; refunded: number }[]>`
    SELECT p.booking_id, p.id AS payment_id, p.amount_minor, p.amount_refunded_minor AS refunded FROM payments p JOIN bookings b ON b.id = p.booking_id
    WHERE p.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED') AND p.amount_refunded_minor < p.amount_minor
      AND b.status IN ('EXPIRED', 'PAYMENT_FAILED', 'CANCELLED') AND (b.ended_by IS NULL OR b.ended_by = 'SYSTEM')
    LIMIT 100`;
  for (const row of unsettled) {
    report.paidNotConfirmed++;
    await recordFinding(db, { kind: "paid-not-confirmed", subject: row.payment_id, bookingId: row.booking_id, detail: `A payment of ${row.amount_minor} (refunded ${row.refunded}) belongs to a booking that is not confirmed.` }, { onlyIfNew: true });
  }

  // 4. Upcoming confirmed bookings on Cal.com: re-read them (a lost Cal.com webhook is never retried by Cal.com).
  if (calcomConfigured()) {
    const upcoming = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM bookings WHERE status = 'CONFIRMED' AND calcom_booking_uid IS NOT NULL AND starts_at > now()
      ORDER BY starts_at LIMIT 200`;
    const bucket = Math.floor(Date.now() / 60_000);
    for (const { id } of upcoming) {
      await enqueue(db, { kind: JOB.calcomReconcile, payload: { bookingId: id }, dedupeKey: `calcom-reconcile:sweep:${id}:${bucket}`, cause: "scheduled reconciliation", maxAttempts: 3 });
      report.calcomChecksQueued++;
    }
    const offCalendar = await db.$queryRaw<{ id: string; calcom_status: string | null }[]>`
      SELECT b.id, b.calcom_status FROM bookings b JOIN offerings o ON o.id = b.offering_id
      WHERE b.status = 'CONFIRMED' AND b.starts_at > now() AND o.calcom_event_type_id IS NOT NULL
        AND (b.calcom_status IS DISTINCT FROM 'accepted') AND b.confirmed_at < now() - make_interval(mins => ${NOT_ON_CALENDAR_AFTER_MINUTES})
      LIMIT 100`;
    for (const row of offCalendar) {
      report.notOnCalendar++;
      await recordFinding(db, { kind: "not-on-calendar", subject: row.id, bookingId: row.id, detail: `Paid and confirmed, but Cal.com shows it as ${row.calcom_status ?? "missing"}.` }, { onlyIfNew: true });
    }
  }

  // 5. Dead jobs and failed refunds that nobody has looked at.
  const dead = await db.job.findMany({ where: { status: "DEAD" }, select: { id: true, kind: true, lastError: true, payload: true }, take: 200, orderBy: { updatedAt: "desc" } });
  for (const job of dead) {
    report.deadJobs++;
    const bookingId = typeof (job.payload as { bookingId?: unknown })?.bookingId === "string" ? ((job.payload as { bookingId: string }).bookingId) : null;
    await recordFinding(db, { kind: "dead-job", subject: job.id, bookingId, detail: `Job ${job.kind} gave up: ${job.lastError ?? "no error recorded"}` }, { onlyIfNew: true });
  }
  const failed = await db.refund.findMany({ where: { status: { in: ["failed", "canceled"] } }, include: { payment: { select: { bookingId: true } } }, take: 200 });
  for (const refund of failed) {
    report.failedRefunds++;
    await recordFinding(db, { kind: "refund-failed", subject: refund.id, bookingId: refund.payment.bookingId, detail: `A refund of ${refund.amountMinor} ${refund.currency} did not go through (${refund.failureReason ?? refund.status}).` }, { onlyIfNew: true });
  }
  log.info("reconciliation finished", { ...report });
  return report;
}

export const OPS_JOBS = {
  [JOB.reconcile]: defineJob(z.object({ trigger: z.string().optional() }), async () => void (await reconcile())),
  [JOB.prune]: defineJob(z.object({}), async () => void (await pruneOldRecords())),
};
