import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";
import type { CalcomEmulator } from "@/lib/emulators/calcom";
import type { StripeEmulator } from "@/lib/emulators/stripe";

/**
 * The promise, checked over the whole database (and the emulators' books) after a scenario:
 * - no two live bookings of a coach overlap;
 * - every paid booking payment ends as a live booking or is refunded in full (a student's own policy cancellation
 *   may keep part of it, by design);
 * - refunds never exceed what was paid;
 * - every webhook event is recorded (applied) at most once;
 * - no job is lost (left due or running) and none ran twice: at most one Stripe refund per refund row and at most
 *   one live Cal.com booking per booking.
 */
export interface InvariantCounts {
  overlappingLiveBookings: number;
  paidWithoutBookingOrRefund: number;
  refundsAbovePayment: number;
  webhookEventsAppliedTwice: number;
  jobsLeftUnfinished: number;
  stripeRefundsSentTwice: number;
  calcomBookingsMadeTwice: number;
}

export async function checkInvariants(emulators: { stripe?: StripeEmulator; cal?: CalcomEmulator } = {}): Promise<InvariantCounts> {
  const [overlap] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.coach_id = b.coach_id AND a.id < b.id
      -- A booking and the new time it is moving to (one reschedule series) may overlap until the move completes.
      AND COALESCE(a.series_id, a.id) <> COALESCE(b.series_id, b.id)
    WHERE a.status IN ('PENDING_PAYMENT', 'AWAITING_FUNDS', 'CONFIRMED') AND b.status IN ('PENDING_PAYMENT', 'AWAITING_FUNDS', 'CONFIRMED')
      AND tstzrange(a.blocked_from, a.blocked_until, '[)') && tstzrange(b.blocked_from, b.blocked_until, '[)')`;
  const [unsettled] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM payments p JOIN bookings b ON b.id = p.booking_id
    WHERE p.status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED')
      AND b.status NOT IN ('CONFIRMED', 'RESCHEDULED') AND (b.ended_by IS DISTINCT FROM 'STUDENT')
      AND COALESCE((SELECT sum(r.amount_minor) FROM refunds r WHERE r.payment_id = p.id AND r.status IN ('pending', 'requires_action', 'succeeded')), 0) < p.amount_minor`;
  const [over] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM payments p
    WHERE COALESCE((SELECT sum(r.amount_minor) FROM refunds r WHERE r.payment_id = p.id AND r.status NOT IN ('failed', 'canceled')), 0) > p.amount_minor`;
  const [twice] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT provider, event_id FROM webhook_events GROUP BY 1, 2 HAVING count(*) > 1) d`;
  const [unfinished] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM jobs WHERE status = 'RUNNING' OR (status = 'PENDING' AND run_at <= now())`;
  let stripeTwice = 0;
  if (emulators.stripe) {
    const perRow = new Map<string, number>();
    for (const refund of emulators.stripe.state.refunds.values()) {
      const id = refund.metadata?.refundId;
      if (id) perRow.set(id, (perRow.get(id) ?? 0) + 1);
    }
    stripeTwice = [...perRow.values()].filter((n) => n > 1).length;
  }
  let calTwice = 0;
  if (emulators.cal) {
    const perBooking = new Map<string, number>();
    for (const remote of emulators.cal.state.bookings.values()) {
      const id = (remote.metadata as Record<string, unknown> | undefined)?.bookingId;
      if (typeof id === "string" && (remote.status === "accepted" || remote.status === "pending")) perBooking.set(id, (perBooking.get(id) ?? 0) + 1);
    }
    calTwice = [...perBooking.values()].filter((n) => n > 1).length;
  }
  return {
    overlappingLiveBookings: Number(overlap.n),
    paidWithoutBookingOrRefund: Number(unsettled.n),
    refundsAbovePayment: Number(over.n),
    webhookEventsAppliedTwice: Number(twice.n),
    jobsLeftUnfinished: Number(unfinished.n),
    stripeRefundsSentTwice: stripeTwice,
    calcomBookingsMadeTwice: calTwice,
  };
}

export const NO_VIOLATIONS: InvariantCounts = {
  overlappingLiveBookings: 0,
  paidWithoutBookingOrRefund: 0,
  refundsAbovePayment: 0,
  webhookEventsAppliedTwice: 0,
  jobsLeftUnfinished: 0,
  stripeRefundsSentTwice: 0,
  calcomBookingsMadeTwice: 0,
};

/** What a reliability test file ran, written to test-results/reliability-<name>.json for docs/RELIABILITY.md. */
export class ReliabilityReport {
  scenarios: { name: string; faults: string[]; violations: InvariantCounts }[] = [];
  counters: Record<string, number> = {};

  constructor(private readonly name: string) {}

  count(key: string, n = 1) {
    this.counters[key] = (this.counters[key] ?? 0) + n;
  }

  add(name: string, faults: string[], violations: InvariantCounts) {
    this.scenarios.push({ name, faults, violations });
  }

  write() {
    const dir = path.resolve("test-results");
    fs.mkdirSync(dir, { recursive: true });
    const totals = { ...NO_VIOLATIONS };
    for (const s of this.scenarios) for (const key of Object.keys(totals) as (keyof InvariantCounts)[]) totals[key] += s.violations[key];
    fs.writeFileSync(path.join(dir, `reliability-${this.name}.json`), JSON.stringify({ scenarios: this.scenarios.length, counters: this.counters, violations: totals, detail: this.scenarios }, null, 2));
  }
}
