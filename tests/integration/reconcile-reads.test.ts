import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { LOST_PAYMENT_CANDIDATES_SQL, LOST_PAYMENT_LOOKBACK_HOURS, NOT_ON_CALENDAR_AFTER_MINUTES, NOT_ON_CALENDAR_SQL, reconcile, UNSETTLED_LOOKBACK_DAYS, UNSETTLED_PAYMENTS_SQL, UPCOMING_ON_CALCOM_SQL } from "@/lib/ops/reconcile";
import { useEmulators } from "../support/emulators";
import { createCoach, createStudent } from "../support/fixtures";

useEmulators({ calcom: {} });

/**
 * The reconciler runs every five minutes in every deployment; its reads must cost the same whatever history the
 * tables hold. Before migration 20261202000000 the kept-money read walked every booking (19,069 buffers and 17 ms
 * with 45,000 bookings, 35,014 and 64 ms with about 90,000), the lost-payment read every expired hold, and the
 * failed-refund read every refund. Here:
 * each read's buffers with a small history and with four times more (past confirmed bookings with their payments,
 * and holds that expired a month ago), and what the rewritten kept-money read still finds.
 */
const DAY = 86_400_000;
let coach: Awaited<ReturnType<typeof createCoach>>;
let student: Awaited<ReturnType<typeof createStudent>>;
let batch = 0;

/**
 * `count` bookings of history (1 in 5 an abandoned hold, the rest confirmed and paid; half of them booked through
 * Cal.com), all a month old or more.
 */
async function addHistory(count: number) {
  batch++;
  await db.$executeRawUnsafe(
    `INSERT INTO bookings (id, coach_id, student_id, offering_id, status, starts_at, ends_at, blocked_from, blocked_until, student_time_zone, title,
       price_minor, currency, policy, stripe_checkout_session_id, calcom_booking_uid, confirmed_at, cancelled_at, ended_by, updated_at, created_at)
     SELECT 'hist-${batch}-' || i, $1, $2, $3, CASE WHEN i % 5 = 0 THEN 'EXPIRED' ELSE 'CONFIRMED' END::"BookingStatus",
       s, s + interval '1 hour', s, s + interval '1 hour', 'UTC', 'history', 5000, 'eur', '{}'::jsonb, 'cs_hist_${batch}_' || i, CASE WHEN i % 2 = 0 THEN 'uid-hist-${batch}-' || i END,
       CASE WHEN i % 5 <> 0 THEN s - interval '2 days' END, CASE WHEN i % 5 = 0 THEN s - interval '1 day' END,
       CASE WHEN i % 5 = 0 THEN 'SYSTEM'::"Actor" END, s, s - interval '3 days'
     FROM generate_series(1, $4::int) AS i, LATERAL (SELECT now() - interval '40 days' - (i + $5::int) * interval '2 hours' AS s) t`,
    coach.coach.id, student.id, coach.offerings[0].id, count, batch * 1_000_000,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO payments (id, booking_id, status, amount_minor, currency, stripe_checkout_session_id, created_at, updated_at)
     SELECT 'pay-' || b.id, b.id, 'SUCCEEDED', 5000, 'eur', b.stripe_checkout_session_id, b.confirmed_at, b.confirmed_at
     FROM bookings b WHERE b.id LIKE 'hist-${batch}-%' AND b.status = 'CONFIRMED'`,
  );
  // One payment in five partly refunded, long ago and successfully.
  await db.$executeRawUnsafe(
    `INSERT INTO refunds (id, payment_id, amount_minor, currency, status, reason, created_at, updated_at)
     SELECT 're-' || p.id, p.id, 1000, 'eur', 'succeeded', 'requested_by_customer', p.updated_at, p.updated_at
     FROM payments p WHERE p.booking_id LIKE 'hist-${batch}-%' AND right(p.booking_id, 1) IN ('1', '3')`,
  );
  await db.$executeRawUnsafe("VACUUM ANALYZE refunds");
  await db.$executeRawUnsafe("VACUUM ANALYZE bookings");
  await db.$executeRawUnsafe("VACUUM ANALYZE payments");
}

async function buffers(sql: string, params: unknown[]): Promise<number> {
  const literal = (v: unknown) => (typeof v === "number" ? String(v) : `'${String(v)}'`);
  const text = params.reduce<string>((q, v, i) => q.replaceAll(`$${i + 1}::int`, `${literal(v)}::int`), sql);
  const rows = await db.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`);
  return rows[0]["QUERY PLAN"][0].Plan["Shared Hit Blocks"] + rows[0]["QUERY PLAN"][0].Plan["Shared Read Blocks"];
}
interface PlanNode { "Shared Hit Blocks": number; "Shared Read Blocks": number }

const READS: [string, string, unknown[]][] = [
  ["lost payments", LOST_PAYMENT_CANDIDATES_SQL, [LOST_PAYMENT_LOOKBACK_HOURS]],
  ["money kept on ended bookings", UNSETTLED_PAYMENTS_SQL, [UNSETTLED_LOOKBACK_DAYS]],
  ["upcoming Cal.com bookings", UPCOMING_ON_CALCOM_SQL, []],
  ["not on the calendar", NOT_ON_CALENDAR_SQL, [NOT_ON_CALENDAR_AFTER_MINUTES]],
  // What Prisma sends for the reconciler's and the operations page's failed refunds (findMany, status in, newest).
  ["failed refunds", `SELECT r.id, r.payment_id FROM refunds r WHERE r.status IN ('failed', 'canceled') ORDER BY r.updated_at DESC LIMIT 200`, []],
];

beforeAll(async () => {
  coach = await createCoach();
  student = await createStudent();
});

describe("the reconciler's reads", () => {
  it("cost the same with four times the history", async () => {
    await addHistory(2_000);
    const small = new Map<string, number>();
    for (const [name, sql, params] of READS) small.set(name, await buffers(sql, params));
    await addHistory(6_000);
    for (const [name, sql, params] of READS) {
      const large = await buffers(sql, params);
      // A few index pages more at most; the old kept-money read went from about 740 to 3,000+ buffers here.
      expect(large, `${name}: ${small.get(name)} -> ${large} buffers`).toBeLessThanOrEqual(small.get(name)! + 10);
      expect(large, name).toBeLessThan(100);
    }
  });
});

describe("money kept on an ended booking (paid-not-confirmed)", () => {
  async function endedBooking(id: string, opts: { status: "EXPIRED" | "CANCELLED"; endedBy: "SYSTEM" | "STUDENT" | null; cancelledDaysAgo: number | null; paymentDaysAgo: number; refunded?: number }) {
    const at = new Date(Date.now() - 60 * DAY - Math.floor(Math.random() * 1000) * 3_600_000);
    await db.booking.create({
      data: {
        id, coachId: coach.coach.id, studentId: student.id, offeringId: coach.offerings[0].id, status: opts.status, startsAt: at, endsAt: new Date(at.getTime() + 3_600_000),
        blockedFrom: at, blockedUntil: new Date(at.getTime() + 3_600_000), studentTimeZone: "UTC", title: "ended", priceMinor: 5000, currency: "eur", policy: {},
        stripeCheckoutSessionId: `cs_${id}`, endedBy: opts.endedBy, cancelledAt: opts.cancelledDaysAgo === null ? null : new Date(Date.now() - opts.cancelledDaysAgo * DAY),
      },
    });
    await db.payment.create({ data: { id: `pay_${id}`, bookingId: id, status: opts.refunded ? "PARTIALLY_REFUNDED" : "SUCCEEDED", amountMinor: 5000, amountRefundedMinor: opts.refunded ?? 0, currency: "eur", stripeCheckoutSessionId: `cs_${id}` } });
    // Stamped as the app would have: the payment last changed `paymentDaysAgo` days ago.
    await db.$executeRawUnsafe(`UPDATE payments SET updated_at = now() - make_interval(days => $1::int) WHERE id = $2`, opts.paymentDaysAgo, `pay_${id}`);
  }
  const found = async () => new Set((await db.$queryRawUnsafe<{ booking_id: string }[]>(UNSETTLED_PAYMENTS_SQL, UNSETTLED_LOOKBACK_DAYS)).map((r) => r.booking_id));

  it("finds a hold that expired a month ago and was paid today, and an end nobody stamped", async () => {
    await endedBooking("kept-late-payment", { status: "EXPIRED", endedBy: "SYSTEM", cancelledDaysAgo: 30, paymentDaysAgo: 0 });
    await endedBooking("kept-recent-end", { status: "EXPIRED", endedBy: "SYSTEM", cancelledDaysAgo: 1, paymentDaysAgo: 30 });
    await endedBooking("kept-manual-change", { status: "CANCELLED", endedBy: null, cancelledDaysAgo: null, paymentDaysAgo: 30 });
    await endedBooking("kept-partly-refunded", { status: "EXPIRED", endedBy: "SYSTEM", cancelledDaysAgo: 2, paymentDaysAgo: 2, refunded: 1000 });
    // Not findings: a student's own cancellation keeps what its policy kept; a fully refunded payment keeps nothing.
    await endedBooking("policy-kept", { status: "CANCELLED", endedBy: "STUDENT", cancelledDaysAgo: 1, paymentDaysAgo: 1, refunded: 2500 });
    await endedBooking("all-refunded", { status: "EXPIRED", endedBy: "SYSTEM", cancelledDaysAgo: 1, paymentDaysAgo: 1, refunded: 5000 });
    const ids = await found();
    expect(ids).toEqual(new Set(["kept-late-payment", "kept-recent-end", "kept-manual-change", "kept-partly-refunded"]));

    const report = await reconcile();
    expect(report.paidNotConfirmed).toBe(4);
    const findings = await db.opsFinding.findMany({ where: { kind: "paid-not-confirmed" }, select: { bookingId: true } });
    expect(new Set(findings.map((f) => f.bookingId))).toEqual(ids);
  });

  it(`looks back ${UNSETTLED_LOOKBACK_DAYS} days: a case older than that was found by an earlier run, and stays on the operations page`, async () => {
    await endedBooking("kept-long-ago", { status: "EXPIRED", endedBy: "SYSTEM", cancelledDaysAgo: 30, paymentDaysAgo: 30 });
    expect((await found()).has("kept-long-ago")).toBe(false);
  });
});

describe("paid bookings not accepted on Cal.com (not-on-calendar)", () => {
  it("finds an upcoming confirmed booking of a Cal.com event type that Cal.com still shows as pending", async () => {
    const synced = await createCoach();
    await db.offering.update({ where: { id: synced.offerings[0].id }, data: { calcomEventTypeId: 987_654 } });
    const at = new Date(Date.now() + 5 * DAY);
    const base = { coachId: synced.coach.id, studentId: student.id, offeringId: synced.offerings[0].id, status: "CONFIRMED" as const, studentTimeZone: "UTC", title: "upcoming", priceMinor: 5000, currency: "eur", policy: {} };
    const slot = (hours: number) => {
      const s = new Date(at.getTime() + hours * 3_600_000);
      return { startsAt: s, endsAt: new Date(s.getTime() + 3_600_000), blockedFrom: s, blockedUntil: new Date(s.getTime() + 3_600_000) };
    };
    await db.booking.create({ data: { ...base, ...slot(0), id: "offcal-pending", calcomStatus: "pending", confirmedAt: new Date(Date.now() - 60 * 60_000) } });
    await db.booking.create({ data: { ...base, ...slot(2), id: "offcal-accepted", calcomStatus: "accepted", confirmedAt: new Date(Date.now() - 60 * 60_000) } });
    await db.booking.create({ data: { ...base, ...slot(4), id: "offcal-just-paid", calcomStatus: "pending", confirmedAt: new Date() } });
    const rows = await db.$queryRawUnsafe<{ id: string }[]>(NOT_ON_CALENDAR_SQL, NOT_ON_CALENDAR_AFTER_MINUTES);
    expect(rows.map((r) => r.id)).toEqual(["offcal-pending"]);
  });
});
