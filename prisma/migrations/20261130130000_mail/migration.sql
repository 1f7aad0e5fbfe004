-- Calendar invites: the SEQUENCE of the booking's iCalendar event, raised on every reschedule and cancellation.
ALTER TABLE "bookings" ADD COLUMN "ics_sequence" INTEGER NOT NULL DEFAULT 0;

-- CreateEnum
CREATE TYPE "SentEmailStatus" AS ENUM ('SENDING', 'SENT', 'SKIPPED');

-- One row per mail job key, written before the SMTP hand-off: a retried job finds it and never sends twice.
CREATE TABLE "sent_emails" (
    "id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "booking_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "status" "SentEmailStatus" NOT NULL DEFAULT 'SENDING',
    "note" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sent_emails_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sent_emails_dedupe_key_key" ON "sent_emails"("dedupe_key");

-- CreateIndex
CREATE INDEX "sent_emails_booking_id_idx" ON "sent_emails"("booking_id");
