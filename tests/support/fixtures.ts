import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";

const suffix = () => randomBytes(4).toString("hex");

/** A coach available every day 00:00-24:00 in `timeZone` (so any future aligned slot is bookable) unless rules are given. */
export async function createCoach(options: {
  timeZone?: string;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  minimumNoticeMinutes?: number;
  rules?: { weekday: number; startMinute: number; endMinute: number }[];
  offerings?: { title?: string; durationMinutes?: number; priceMinor?: number; currency?: string }[];
} = {}) {
  const id = suffix();
  const user = await db.user.create({
    data: { email: `coach-${id}@example.com`, name: `Coach ${id}`, passwordHash: "x", role: "COACH", timeZone: options.timeZone ?? "UTC" },
  });
  const rules = options.rules ?? [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 }));
  const coach = await db.coachProfile.create({
    data: {
      userId: user.id,
      slug: `coach-${id}`,
      timeZone: options.timeZone ?? "UTC",
      bufferBeforeMinutes: options.bufferBeforeMinutes ?? 0,
      bufferAfterMinutes: options.bufferAfterMinutes ?? 0,
      minimumNoticeMinutes: options.minimumNoticeMinutes ?? 0,
      bookingHorizonDays: 365,
      availabilityRules: { create: rules },
      offerings: {
        create: (options.offerings ?? [{}]).map((o, i) => ({
          title: o.title ?? `Session ${i + 1}`,
          durationMinutes: o.durationMinutes ?? 60,
          priceMinor: o.priceMinor ?? 5000,
          currency: o.currency ?? "eur",
        })),
      },
    },
    include: { offerings: { orderBy: { title: "asc" } } },
  });
  return { user, coach, offerings: coach.offerings };
}

export async function createStudent(timeZone = "Europe/London") {
  const id = suffix();
  return db.user.create({ data: { email: `student-${id}@example.com`, name: `Student ${id}`, passwordHash: "x", role: "STUDENT", timeZone } });
}

/** The next whole UTC hour at least `daysAhead` days from now. */
export function futureHour(daysAhead = 3, hour = 10): Date {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + daysAhead);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
}
