-- Cancellation and reschedule policy (issue #8). The coach's settings below are copied onto each booking (its
-- `policy` snapshot) when it is made; the snapshot decides, never the current settings.
-- Tiers: 100% at >= full_refund_hours_before, late_cancel_refund_percent at >= partial_refund_hours_before, 0% after.
ALTER TABLE "coach_profiles" ADD COLUMN "partial_refund_hours_before" INTEGER NOT NULL DEFAULT 2;
-- No student reschedule closer than this many hours to the start; at most max_reschedules moves per booking.
ALTER TABLE "coach_profiles" ADD COLUMN "reschedule_cutoff_hours" INTEGER NOT NULL DEFAULT 12;
ALTER TABLE "coach_profiles" ADD COLUMN "max_reschedules" INTEGER NOT NULL DEFAULT 2;
ALTER TABLE "coach_profiles" ADD CONSTRAINT "coach_profiles_policy_valid" CHECK (
  "full_refund_hours_before" >= "partial_refund_hours_before" AND "partial_refund_hours_before" >= 0
  AND "late_cancel_refund_percent" BETWEEN 0 AND 100
  AND "reschedule_cutoff_hours" >= 0 AND "max_reschedules" BETWEEN 0 AND 20);

-- Reschedule chain: the old booking ends RESCHEDULED and points to its replacement; the replacement points back.
ALTER TABLE "bookings" ADD COLUMN "rescheduled_to_id" TEXT;
ALTER TABLE "bookings" ADD COLUMN "reschedule_count" INTEGER NOT NULL DEFAULT 0;
-- Who moved the booking here (on the replacement), stored like ended_by.
ALTER TABLE "bookings" ADD COLUMN "rescheduled_by" "Actor";
-- The first booking of a reschedule chain (null for a booking that was never moved: it is its own series).
ALTER TABLE "bookings" ADD COLUMN "series_id" TEXT;
-- The latest thing the student must be told about the booking (e.g. a move in Cal.com that was undone).
ALTER TABLE "bookings" ADD COLUMN "notice" TEXT;
CREATE INDEX "bookings_rescheduled_from_id_idx" ON "bookings"("rescheduled_from_id");
CREATE UNIQUE INDEX "bookings_rescheduled_to_id_key" ON "bookings"("rescheduled_to_id");

-- A dearer reschedule holds the new slot (PENDING_PAYMENT) while the old booking stays CONFIRMED until the
-- difference is paid. Both belong to one series, so they may overlap each other (a move by 30 minutes); they still
-- exclude every other live booking of the coach.
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_no_overlap";
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("coach_id" WITH =, tstzrange("blocked_from", "blocked_until", '[)') WITH &&, (COALESCE("series_id", "id")) WITH <>)
  WHERE ("status" IN ('PENDING_PAYMENT', 'AWAITING_FUNDS', 'CONFIRMED'));
