-- New booking states (their own migration: PostgreSQL cannot use an enum value in the transaction that adds it).
-- AWAITING_FUNDS: Checkout completed with a delayed payment method (SEPA, ACH, Bacs); the slot stays held until the
-- money settles or a hard deadline before the session. RESCHEDULED: the booking was replaced by a new one.
ALTER TYPE "BookingStatus" ADD VALUE 'AWAITING_FUNDS';
ALTER TYPE "BookingStatus" ADD VALUE 'RESCHEDULED';

-- Who ended a booking (provenance is stored, never inferred from a status string).
CREATE TYPE "Actor" AS ENUM ('STUDENT', 'COACH', 'ADMIN', 'SYSTEM');
