import pg from "pg";
import { describe, expect, it } from "vitest";
import { LOAD_FOR_HOLD_SQL } from "@/lib/booking/rules";
import { db, hotQuery } from "@/lib/db/client";
import { createCoach, createStudent } from "../support/fixtures";

/**
 * The hot statements (lib/db/client.ts hotQuery) are prepared once per pooled connection, and PostgreSQL's plan
 * cache then chooses between a generic plan and planning again for each execution's values (choose_custom_plan in
 * src/backend/utils/cache/plancache.c). It compares the generic plan's estimated cost, recomputed only when a
 * generic plan is built, with the average cost of the custom plans made so far, which is kept across invalidations
 * ("we do not reset generic_cost or total_custom_cost", RevalidateCachedQuery). So a generic plan built while the
 * estimates were high (a table grown since the last ANALYZE), followed by estimates that fell (an ANALYZE after a
 * purge), leaves the statement planned again on every execution for as long as the connection lives: the HTTP
 * benchmark's create-booking lost 0.7 ms of PostgreSQL CPU per hold to it after an autovacuum (docs/BENCHMARKS.md,
 * tenth pass). The hot pool's connections run with plan_cache_mode = force_generic_plan.
 */
const HOUR = 3_600_000;

async function withHistory(coachId: string, offeringId: string, studentId: string, rows: number) {
  await db.$executeRawUnsafe(
    `INSERT INTO bookings (id, coach_id, student_id, offering_id, status, starts_at, ends_at, blocked_from, blocked_until, student_time_zone, title, price_minor, currency, policy, updated_at)
     SELECT 'past-' || $4 || '-' || i, $1, $2, $3, 'CONFIRMED', s, s + interval '15 minutes', s, s + interval '15 minutes', 'UTC', 'x', 1, 'eur', '{}'::jsonb, now()
     FROM generate_series(1, $5::int) i, LATERAL (SELECT now() - interval '400 days' + i * interval '15 minutes' AS s) t`,
    coachId, studentId, offeringId, String(rows), rows,
  );
}

/** The hold read, run `times` times by `run` with the values of a new slot each time. */
async function holdReads(run: (values: unknown[]) => Promise<unknown>, offeringId: string, studentId: string, times: number) {
  const base = Math.ceil((Date.now() + 3 * 24 * HOUR) / HOUR) * HOUR;
  for (let i = 0; i < times; i++) {
    const start = new Date(base + i * HOUR);
    await run([offeringId, new Date(), new Date(start.getTime() - 24 * HOUR), new Date(start.getTime() + 24 * HOUR), null, studentId, start, true]);
  }
}

/**
 * The order that traps a prepared statement: planned while the table is small, its generic plan rebuilt after the
 * table grew (priced high), then the estimates fall again (the history deleted, ANALYZE). Returns the plan counts.
 */
async function trap(run: (values: unknown[]) => Promise<unknown>, plans: () => Promise<{ generic_plans: string; custom_plans: string } | undefined>) {
  const { coach, offerings } = await createCoach({ offerings: [{ durationMinutes: 15 }] });
  const student = await createStudent();
  await db.$executeRawUnsafe("ANALYZE bookings");
  await holdReads(run, offerings[0].id, student.id, 8);
  await withHistory(coach.id, offerings[0].id, student.id, 5_000);
  await db.$executeRawUnsafe("ANALYZE bookings");
  await holdReads(run, offerings[0].id, student.id, 1);
  await db.$executeRawUnsafe("DELETE FROM bookings WHERE id LIKE 'past-%'");
  await db.$executeRawUnsafe("VACUUM ANALYZE bookings");
  const before = await plans();
  await holdReads(run, offerings[0].id, student.id, 40);
  const after = await plans();
  return { before, after };
}

describe("hot statements keep their generic plan", () => {
  it("PostgreSQL's plan cache alone gets stuck planning the hold read on every execution (the hazard)", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const name = "hold_read_plain";
      const { before, after } = await trap(
        (values) => client.query({ name, text: LOAD_FOR_HOLD_SQL, values }),
        async () => (await client.query("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1", [name])).rows[0],
      );
      // Every one of the 40 reads after the estimates fell was planned again; the generic plan was never used.
      expect(Number(after!.custom_plans) - Number(before!.custom_plans), JSON.stringify({ before, after })).toBe(40);
      expect(after!.generic_plans).toBe(before!.generic_plans);
    } finally {
      await client.end();
    }
  });

  it("the hot pool's connections run the hold read on its generic plan through the same order", async () => {
    const name = "coachbook_test_hold_read";
    // Read on the same pooled connection: the test runs one statement at a time, so the pool has one connection.
    const { before, after } = await trap(
      (values) => hotQuery(name, LOAD_FOR_HOLD_SQL, values),
      async () => (await hotQuery<{ generic_plans: string; custom_plans: string }>("coachbook_test_plans", "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1", [name]))[0],
    );
    expect(after, "the statement is prepared on the connection the plans were read on").toBeDefined();
    expect(Number(after!.custom_plans), JSON.stringify({ before, after })).toBe(0);
    expect(Number(after!.generic_plans) - Number(before!.generic_plans)).toBe(40);
  });

  it("Prisma's statements are still planned for their values (the setting is the hot pool's only)", async () => {
    const [hot] = await hotQuery<{ plan_cache_mode: string }>("coachbook_test_mode", "SELECT current_setting('plan_cache_mode') AS plan_cache_mode", []);
    const [prisma] = await db.$queryRawUnsafe<{ plan_cache_mode: string }[]>("SELECT current_setting('plan_cache_mode') AS plan_cache_mode");
    expect(hot.plan_cache_mode).toBe("force_generic_plan");
    expect(prisma.plan_cache_mode).toBe("auto");
  });
});
