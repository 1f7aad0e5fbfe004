-- create-booking records the Checkout Session on the new hold right after inserting it (one UPDATE of
-- stripe_checkout_session_id, checkout_url, updated_at). With a unique index on stripe_checkout_session_id that
-- UPDATE could never be HOT: PostgreSQL wrote a new row version into every index of bookings for every hold. Without
-- it the UPDATE changes no indexed column and stays on the heap page: PostgreSQL's CPU per hold 1.2-1.3 -> 0.9-1.0
-- ms under the create-booking benchmark (bench/holds.ts batches, docs/BENCHMARKS.md). The session's uniqueness and
-- the session -> booking lookup are payments.stripe_checkout_session_id's (unique), written with it (same statement
-- in create-booking, same transaction for a reschedule difference).
DROP INDEX "bookings_stripe_checkout_session_id_key";
