-- Holds awaiting delayed funds block the time like any live booking.
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_no_overlap";
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("coach_id" WITH =, tstzrange("blocked_from", "blocked_until", '[)') WITH &&)
  WHERE ("status" IN ('PENDING_PAYMENT', 'AWAITING_FUNDS', 'CONFIRMED'));

-- Provenance: who ended the booking, and when WE released its Cal.com booking (so a later read of Cal.com can tell
-- our own release from the coach's cancellation without guessing from a status string).
ALTER TABLE "bookings" ADD COLUMN "ended_by" "Actor";
ALTER TABLE "bookings" ADD COLUMN "calcom_released_at" TIMESTAMPTZ(3);
-- Cal.com refused the booking definitively (time taken there, notice window): the reason shown to people.
ALTER TABLE "bookings" ADD COLUMN "calcom_refusal" TEXT;

-- Jobs: a lease per job (token), why the job exists, when it finished or died.
ALTER TABLE "jobs" ADD COLUMN "locked_by" TEXT;
ALTER TABLE "jobs" ADD COLUMN "cause" TEXT;
ALTER TABLE "jobs" ADD COLUMN "finished_at" TIMESTAMPTZ(3);
CREATE INDEX "jobs_status_locked_until_idx" ON "jobs"("status", "locked_until");
CREATE INDEX "jobs_status_finished_at_idx" ON "jobs"("status", "finished_at");

-- Refunds: one row per refund intent, written before Stripe is called (amount and key fixed), updated from Stripe.
ALTER TABLE "refunds" ADD COLUMN "idempotency_key" TEXT;
ALTER TABLE "refunds" ADD COLUMN "failure_reason" TEXT;
CREATE UNIQUE INDEX "refunds_idempotency_key_key" ON "refunds"("idempotency_key");
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_amount_positive" CHECK ("amount_minor" > 0);

CREATE INDEX "webhook_events_received_at_idx" ON "webhook_events"("received_at");

-- What the reconciler found and could not (or must not) fix by itself: shown on /admin/operations.
CREATE TABLE "ops_findings" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "booking_id" TEXT,
    "detail" TEXT NOT NULL,
    "fixed" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "ops_findings_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ops_findings_kind_subject_key" ON "ops_findings"("kind", "subject");
CREATE INDEX "ops_findings_resolved_at_idx" ON "ops_findings"("resolved_at");
