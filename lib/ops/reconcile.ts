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
export const LOST_PAYMENT_LOOKBACK_HOURS = 72;
/** A paid booking of a Cal.com coach that is still not accepted there after this long is shown to an operator. */
export const NOT_ON_CALENDAR_AFTER_MINUTES = 15;
/**
 * Money kept on an ended booking arises when the booking ends or when its payment changes; the reconciler runs every
 * few minutes and its findings stay until an operator resolves them, so it looks at what changed in this window
 * (long enough to outlast an outage of the reconciler) instead of every payment ever made.
 */
export const UNSETTLED_LOOKBACK_DAYS = 7;

/*
 * The reconciler's reads. Each is bounded by time or by a rare state through an index, so a run costs the same
 * however much history the tables hold (tests/integration/reconcile-reads.test.ts). Before migration 20261202000000
 * the kept-money read walked every booking: 19,069 buffers and 17 ms with 45,000 bookings, 35,014 and 64 ms with
 * about 90,000; the lost-payment read every expired hold (90, 224, 403 buffers as history grew); now 4-6 buffers.
 */

/**
 * Released holds of the last $1 hours and holds awaiting funds (bookings_ended_idx,
 * bookings_status_hold_expires_at_idx), with no payment recorded. `OFFSET 0` keeps the payment check a lookup per
 * candidate (the unique session index): as an anti-join the planner may hash every payment ever made.
 */
export const LOST_PAYMENT_CANDIDATES_SQL = `
  SELECT b.id, b.stripe_checkout_session_id AS session, b.price_minor, b.currency FROM bookings b
  WHERE b.stripe_checkout_session_id IS NOT NULL
    AND ((b.status IN ('EXPIRED', 'PAYMENT_FAILED') AND b.cancelled_at > now() - make_interval(hours => $1::int))
         OR b.status = 'AWAITING_FUNDS')
    AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.stripe_checkout_session_id = b.stripe_checkout_session_id AND p.status IN ('SUCCEEDED', 'REFUNDED', 'PARTIALLY_REFUNDED') OFFSET 0)
  ORDER BY b.updated_at DESC LIMIT 50`;

/**
 * Payments kept (not fully refunded) on bookings that are not live and were ended by nobody's decision, from two
 * bounded starts: bookings that ended in the last $1 days or whose end was never stamped (a manual change), through
 * bookings_ended_idx; and payments changed in that window (payments_paid_by_update_idx: a payment that
 * lands days after its hold ended). `OFFSET 0` keeps each side's partner a lookup by key, never a hash of a table.
 */
export const UNSETTLED_PAYMENTS_SQL = `
  WITH ended AS (
    -- Two index reads, not one OR: most bookings (the live ones) have no end stamped, so the planner, which cannot
    -- tell that ended ones nearly always do, read every ended booking to evaluate "IS NULL OR recent". The second
    -- read has its own partial index (bookings_ended_unstamped_idx), whose size tells the planner how rare it is.
    SELECT b.id FROM bookings b WHERE b.status IN ('EXPIRED', 'PAYMENT_FAILED', 'CANCELLED')
      AND b.cancelled_at > now() - make_interval(days => $1::int) AND (b.ended_by IS NULL OR b.ended_by = 'SYSTEM')
    UNION ALL
    SELECT b.id FROM bookings b WHERE b.status IN ('EXPIRED', 'PAYMENT_FAILED', 'CANCELLED')
      AND b.cancelled_at IS NULL AND (b.ended_by IS NULL OR b.ended_by = 'SYSTEM')
  ), kept AS (
    SELECT p.booking_id, p.payment_id, p.amount_minor, p.refunded FROM ended b CROSS JOIN LATERAL (
      SELECT p.booking_id, p.id AS payment_id, p.amount_minor, p.amount_refunded_minor AS refunded FROM payments p
      WHERE p.booking_id = b.id AND p.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED') AND p.amount_refunded_minor < p.amount_minor OFFSET 0) p
    UNION
    SELECT p.booking_id, p.id AS payment_id, p.amount_minor, p.amount_refunded_minor AS refunded FROM payments p CROSS JOIN LATERAL (
      SELECT 1 FROM bookings b WHERE b.id = p.booking_id AND b.status IN ('EXPIRED', 'PAYMENT_FAILED', 'CANCELLED')
        AND (b.ended_by IS NULL OR b.ended_by = 'SYSTEM') OFFSET 0) b
    WHERE p.updated_at > now() - make_interval(days => $1::int)
      AND p.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED') AND p.amount_refunded_minor < p.amount_minor
  )
  SELECT * FROM kept LIMIT 100`;

/** Upcoming confirmed bookings that live on Cal.com (bookings_confirmed_by_start_idx: the future only). */
export const UPCOMING_ON_CALCOM_SQL = `
  SELECT id FROM bookings WHERE status = 'CONFIRMED' AND calcom_booking_uid IS NOT NULL AND starts_at > now()
  ORDER BY starts_at LIMIT 200`;

/**
 * Upcoming confirmed bookings of Cal.com event types not accepted there $1 minutes after they were paid. The future
 * is read first (bookings_confirmed_by_start_idx); joined directly, the planner walked a whole index per offering.
 */
export const NOT_ON_CALENDAR_SQL = `
  WITH upcoming AS MATERIALIZED (
    SELECT b.id, b.offering_id, b.calcom_status FROM bookings b
    WHERE b.status = 'CONFIRMED' AND b.starts_at > now()
      AND (b.calcom_status IS DISTINCT FROM 'accepted') AND b.confirmed_at < now() - make_interval(mins => $1::int)
  )
  SELECT u.id, u.calcom_status FROM upcoming u JOIN offerings o ON o.id = u.offering_id
  WHERE o.calcom_event_type_id IS NOT NULL
  LIMIT 100`;

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
    const candidates = await db.$queryRawUnsafe<{ id: string; session: string; price_minor: number; currency: string }[]>(LOST_PAYMENT_CANDIDATES_SQL, LOST_PAYMENT_LOOKBACK_HOURS);
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
  const unsettled = await db.$queryRawUnsafe<{ booking_id: string; payment_id: string; amount_minor: number; refunded: number }[]>(UNSETTLED_PAYMENTS_SQL, UNSETTLED_LOOKBACK_DAYS);
  for (const row of unsettled) {
    report.paidNotConfirmed++;
    await recordFinding(db, { kind: "paid-not-confirmed", subject: row.payment_id, bookingId: row.booking_id, detail: `A payment of ${row.amount_minor} (refunded ${row.refunded}) belongs to a booking that is not confirmed.` }, { onlyIfNew: true });
  }

  // 4. Upcoming confirmed bookings on Cal.com: re-read them (a lost Cal.com webhook is never retried by Cal.com).
  if (calcomConfigured()) {
    const upcoming = await db.$queryRawUnsafe<{ id: string }[]>(UPCOMING_ON_CALCOM_SQL);
    const bucket = Math.floor(Date.now() / 60_000);
    for (const { id } of upcoming) {
      await enqueue(db, { kind: JOB.calcomReconcile, payload: { bookingId: id }, dedupeKey: `calcom-reconcile:sweep:${id}:${bucket}`, cause: "scheduled reconciliation", maxAttempts: 3 });
      report.calcomChecksQueued++;
    }
    const offCalendar = await db.$queryRawUnsafe<{ id: string; calcom_status: string | null }[]>(NOT_ON_CALENDAR_SQL, NOT_ON_CALENDAR_AFTER_MINUTES);
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
