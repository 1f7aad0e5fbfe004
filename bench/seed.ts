/**
 * Data for the HTTP benchmark: identical coaches (Europe/Berlin, 08:00-12:00 and 13:00-18:00 every day, a
 * 60-minute offering, so a 60-day answer is about the 38.8 KB of the reference route), one of them with a long
 * history, one synced to the Cal.com emulator, and a round-the-clock coach whose many free 15-minute slots
 * create-booking takes one by one.
 */
import type { Db } from "@/lib/db/client";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export async function seedBenchData(db: Db) {
  const { hashPassword } = await import("@/lib/accounts/service");
  const studentPassword = "bench-password";
  const passwordHash = await hashPassword(studentPassword);
  const student = await db.user.create({ data: { email: "bench.student@example.com", name: "Bench Student", passwordHash, role: "STUDENT", timeZone: "Europe/London" } });
  const day0 = new Date();
  day0.setUTCHours(0, 0, 0, 0);
  const from = new Date(day0.getTime() + DAY);

  const makeCoach = async (slug: string, rules: { weekday: number; startMinute: number; endMinute: number }[], durationMinutes: number) => {
    const user = await db.user.create({ data: { email: `${slug}@example.com`, name: `Coach ${slug}`, passwordHash, role: "COACH", timeZone: "Europe/Berlin" } });
    const coach = await db.coachProfile.create({
      data: {
        userId: user.id,
        slug,
        headline: "Benchmark coach",
        timeZone: "Europe/Berlin",
        minimumNoticeMinutes: 0,
        bookingHorizonDays: 365,
        availabilityRules: { create: rules },
        offerings: { create: [{ title: "Session", durationMinutes, priceMinor: 5000, currency: "eur" }] },
      },
      include: { offerings: true },
    });
    return { userId: user.id, coachId: coach.id, offeringId: coach.offerings[0].id, slug };
  };
  const dayRules = [0, 1, 2, 3, 4, 5, 6].flatMap((weekday) => [{ weekday, startMinute: 480, endMinute: 720 }, { weekday, startMinute: 780, endMinute: 1080 }]);
  const booking = (c: { coachId: string; offeringId: string }, start: number, status: "CONFIRMED" | "EXPIRED", minutes = 60) => ({
    coachId: c.coachId, studentId: student.id, offeringId: c.offeringId, status, startsAt: new Date(start), endsAt: new Date(start + minutes * 60_000),
    blockedFrom: new Date(start), blockedUntil: new Date(start + minutes * 60_000), studentTimeZone: "UTC", title: "x", priceMinor: 5000, currency: "eur", policy: {},
    ...(status === "EXPIRED" ? { holdExpiresAt: new Date(start - DAY) } : {}),
  });

  const plain = await makeCoach("bench-plain", dayRules, 60);
  const history = await makeCoach("bench-history", dayRules, 60);
  const synced = await makeCoach("bench-synced", dayRules, 60);
  // The same 60 upcoming bookings (one a day at 10:00 UTC) for the three coaches, so the busy list is not empty.
  for (const c of [plain, history, synced]) {
    await db.booking.createMany({ data: Array.from({ length: 60 }, (_, i) => booking(c, from.getTime() + i * DAY + 10 * HOUR, "CONFIRMED")) });
  }
  // History: 10,000 past confirmed sessions (one an hour, going back) and 2,000 abandoned holds that expired,
  // half in the past and half on upcoming days (they no longer block anything).
  await db.booking.createMany({ data: Array.from({ length: 10_000 }, (_, i) => booking(history, day0.getTime() - (i + 1) * HOUR, "CONFIRMED")) });
  await db.booking.createMany({ data: Array.from({ length: 2_000 }, (_, i) => booking(history, day0.getTime() + (i - 1000) * 2 * HOUR + 30 * 60_000, "EXPIRED")) });

  const { syncCoach } = await import("@/lib/calcom-sync/sync");
  await syncCoach(synced.userId);

  // create-booking takes distinct 15-minute slots of a coach available round the clock.
  const write = await makeCoach("bench-write", [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })), 15);
  const starts = Array.from({ length: 300 * 96 }, (_, i) => new Date(from.getTime() + DAY + i * 15 * 60_000));

  await db.$executeRawUnsafe("ANALYZE");
  await db.$disconnect();
  return { from, plain, history, synced, write: { ...write, starts }, studentEmail: student.email, studentPassword };
}
