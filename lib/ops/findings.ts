import type { Prisma } from "@/lib/generated/prisma/client";
import { db, type Db } from "@/lib/db/client";
import { log } from "@/lib/log";

/**
 * Things an operator must see: failed refunds, paid bookings not on the coach's calendar, Cal.com refusals, dead
 * jobs. One open finding per (kind, subject); recording it again refreshes the detail. `fixed` says whether the
 * app already repaired it (shown for the record) or a person must act.
 */
export type FindingKind =
  | "refund-failed"
  | "amount-mismatch"
  | "calcom-refused"
  | "not-on-calendar"
  | "calcom-mismatch"
  | "paid-not-confirmed"
  | "dead-job"
  | "double-booked-in-calcom"
  | "awaiting-funds-lapsed";

export async function recordFinding(
  tx: Prisma.TransactionClient | Db,
  finding: { kind: FindingKind; subject: string; bookingId?: string | null; detail: string; fixed?: boolean },
  options: { onlyIfNew?: boolean } = {},
): Promise<void> {
  if (options.onlyIfNew) {
    // The reconciler's sweeps: a finding an operator already saw (open or resolved) is left as it is, not reopened.
    const created = await tx.opsFinding.createMany({
      data: [{ kind: finding.kind, subject: finding.subject, bookingId: finding.bookingId ?? null, detail: finding.detail, fixed: finding.fixed ?? false }],
      skipDuplicates: true,
    });
    if (created.count === 1) log.warn("operations finding", { kind: finding.kind, subject: finding.subject, bookingId: finding.bookingId ?? undefined, detail: finding.detail });
    return;
  }
  await tx.opsFinding.upsert({
    where: { kind_subject: { kind: finding.kind, subject: finding.subject } },
    create: { kind: finding.kind, subject: finding.subject, bookingId: finding.bookingId ?? null, detail: finding.detail, fixed: finding.fixed ?? false },
    update: { detail: finding.detail, fixed: finding.fixed ?? false, resolvedAt: null },
  });
  log.warn("operations finding", { kind: finding.kind, subject: finding.subject, bookingId: finding.bookingId ?? undefined, detail: finding.detail });
}

export async function resolveFinding(id: string): Promise<boolean> {
  const updated = await db.opsFinding.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: new Date() } });
  return updated.count === 1;
}
