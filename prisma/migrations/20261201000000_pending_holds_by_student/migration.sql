-- A student's unpaid holds, for the two lookups every create-booking makes (lib/booking/rules.ts, LOAD_FOR_HOLD_SQL):
-- their resumable hold on one exact slot, and the count of their live holds (the cap).
--
-- Without it PostgreSQL answered both from "bookings_status_hold_expires_at_idx" (status, hold_expires_at): pending
-- holds are a sliver of the table, so its statistics promise one row, and the scan then walked EVERY live hold of
-- every student. Measured under the HTTP benchmark's create-booking load: 2,918 buffers and 1.3 ms per hold read
-- with 3,000 live holds, growing with each one (tests/integration/hold-reads.test.ts holds it at a few buffers).
-- Partial: only PENDING_PAYMENT rows are in it (a hold's life), so it stays small whatever the history.
CREATE INDEX "bookings_pending_by_student_idx" ON "bookings" ("student_id", "starts_at") WHERE "status" = 'PENDING_PAYMENT';
