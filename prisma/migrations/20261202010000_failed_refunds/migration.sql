-- Refunds that did not go through, newest first: read by the reconciler every five minutes and by the operations
-- page (lib/ops/reconcile.ts, lib/ops/overview.ts). Partial: failed and canceled refunds are rare, while the table
-- keeps every refund ever made, which the reads walked whole.
CREATE INDEX "refunds_unsuccessful_idx" ON "refunds" ("updated_at") WHERE "status" IN ('failed', 'canceled');
