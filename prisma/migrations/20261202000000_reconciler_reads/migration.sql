-- The reconciler's reads (lib/ops/reconcile.ts), bounded by time or by a rare state whatever the history. It runs
-- every five minutes. Measured before, with 45,000 bookings and 40,000 payments: the kept-money read walked every
-- booking (19,069 buffers, 17 ms; 35,014 and 64 ms at twice that), the lost-payment read every expired hold.

-- Bookings by status and when they ended: released holds of the last days, and ended bookings whose end was never
-- stamped (NULL: a manual change, which must still be seen).
CREATE INDEX "bookings_status_cancelled_at_idx" ON "bookings"("status", "cancelled_at");

-- Upcoming bookings in one status (confirmed ones to re-check on Cal.com).
CREATE INDEX "bookings_status_starts_at_idx" ON "bookings"("status", "starts_at");

-- Payments changed recently (a payment that lands days after its hold ended).
CREATE INDEX "payments_updated_at_idx" ON "payments"("updated_at");

-- Ended bookings with no end stamped (only a manual change makes one; the app always stamps cancelled_at). Partial,
-- so it is as small as that set and PostgreSQL knows it: through the index above, the planner guessed from the live
-- bookings (which have no end either) that most ended ones lack it too, and read them all.
CREATE INDEX "bookings_ended_unstamped_idx" ON "bookings" ("status") WHERE "status" IN ('EXPIRED', 'PAYMENT_FAILED', 'CANCELLED') AND "cancelled_at" IS NULL;
