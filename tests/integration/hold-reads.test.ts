import { describe, expect, it } from "vitest";
import { LOAD_FOR_HOLD_SQL } from "@/lib/booking/rules";
import { db } from "@/lib/db/client";
import { createCoach, createStudent } from "../support/fixtures";

/**
 * The read every create-booking makes (loadHoldContext: the student's resumable hold on one slot and their count of
 * live holds) must cost the same whatever OTHER students hold. It did not: PostgreSQL's statistics, taken when
 * pending holds were rare (they always are), made the (status, hold_expires_at) index look like one row, and the
 * read walked every live hold in the system: 2,918 buffers with 3,000 holds, growing as the HTTP benchmark ran.
 * The partial index bookings_pending_by_student_idx (migration 20261201000000) fixes the plan; this holds it.
 */
const HOUR = 3_600_000;

async function bufferHits(sql: string, params: unknown[], mode: "force_generic_plan" | "force_custom_plan") {
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL plan_cache_mode = ${mode}`);
    await tx.$executeRawUnsafe(`PREPARE hold_read(text, timestamptz, timestamptz, timestamptz, text, text, timestamptz, int) AS ${sql}`);
    const literal = (v: unknown) => (v === null ? "NULL" : `'${v instanceof Date ? v.toISOString() : String(v)}'`);
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: unknown; "Execution Time": number }] }[]>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE hold_read(${params.map(literal).join(", ")})`);
    await tx.$executeRawUnsafe("DEALLOCATE hold_read");
    // Every node's shared buffer hits, subplans included.
    let hits = 0;
    const walk = (node: { "Shared Hit Blocks"?: number; Plans?: unknown[] }) => {
      hits += node["Shared Hit Blocks"] ?? 0;
      for (const child of node.Plans ?? []) walk(child as typeof node);
    };
    const plan = rows[0]["QUERY PLAN"][0].Plan as { "Shared Hit Blocks"?: number; Plans?: unknown[] };
    walk(plan);
    return { hits, plan: JSON.stringify(plan) };
  });
}

describe("a new hold's read", () => {
  it("reads the student's own holds only, however many live holds other students have", async () => {
    const { offerings } = await createCoach({ offerings: [{ durationMinutes: 15 }] });
    const student = await createStudent();
    // Statistics taken now, while few holds are pending; then 2,000 live holds of other students on other coaches.
    await db.$executeRawUnsafe("ANALYZE bookings");
    const base = Math.ceil((Date.now() + 3 * 24 * HOUR) / HOUR) * HOUR;
    for (let c = 0; c < 4; c++) {
      const other = await createCoach();
      const holder = await createStudent();
      await db.booking.createMany({
        data: Array.from({ length: 500 }, (_, i) => {
          const at = new Date(base + i * HOUR);
          return { coachId: other.coach.id, studentId: holder.id, offeringId: other.offerings[0].id, status: "PENDING_PAYMENT" as const, holdExpiresAt: new Date(Date.now() + 15 * 60_000), checkoutUrl: "https://checkout.test/x", startsAt: at, endsAt: new Date(at.getTime() + HOUR), blockedFrom: at, blockedUntil: new Date(at.getTime() + HOUR), studentTimeZone: "UTC", title: "x", priceMinor: 1, currency: "eur", policy: {} };
        }),
      });
    }
    const start = new Date(base + 7 * HOUR);
    const now = new Date();
    for (const cap of [0, 3]) {
      for (const mode of ["force_generic_plan", "force_custom_plan"] as const) {
        const { hits, plan } = await bufferHits(LOAD_FOR_HOLD_SQL, [offerings[0].id, now, new Date(start.getTime() - 24 * HOUR), new Date(start.getTime() + 24 * HOUR), null, student.id, start, cap], mode);
        expect(plan).not.toContain("bookings_status_hold_expires_at_idx");
        expect(hits, `${mode}, cap ${cap}: ${hits} buffers`).toBeLessThan(100);
      }
    }
  });
});
