import { hashPassword } from "@/lib/accounts/service";
import type { Db } from "./client";

export const DEMO_PASSWORD = "coachbook-demo";

export const DEMO_ACCOUNTS = [
  { email: "maya.coach@coachbook.test", role: "COACH" as const, name: "Maya Lindqvist", timeZone: "Europe/Berlin" },
  { email: "james.coach@coachbook.test", role: "COACH" as const, name: "James Carter", timeZone: "America/New_York" },
  { email: "priya.coach@coachbook.test", role: "COACH" as const, name: "Priya Raman", timeZone: "Asia/Kolkata" },
  { email: "sam.student@coachbook.test", role: "STUDENT" as const, name: "Sam Student", timeZone: "Europe/London" },
  // Operations: /admin/operations (dead jobs, reconciliation findings, failed refunds).
  { email: "ops.admin@coachbook.test", role: "ADMIN" as const, name: "Olu Operations", timeZone: "UTC" },
];

interface CoachSeed {
  email: string;
  slug: string;
  headline: string;
  bio: string;
  bufferAfterMinutes: number;
  offerings: { title: string; description: string; durationMinutes: number; priceMinor: number; currency: string }[];
  weekly: { weekdays: number[]; start: string; end: string }[];
}

const COACHES: CoachSeed[] = [
  {
    email: "maya.coach@coachbook.test",
    slug: "maya-lindqvist",
    headline: "Career coach for engineers moving into leadership",
    bio: "Ten years leading platform teams in Stockholm and Berlin.\nI help new managers find their feet: one-to-ones, feedback, hiring.",
    bufferAfterMinutes: 10,
    offerings: [
      { title: "Intro call", description: "Get to know each other and set goals.", durationMinutes: 30, priceMinor: 2500, currency: "eur" },
      { title: "Leadership session", description: "A focused hour on your current challenge.", durationMinutes: 60, priceMinor: 9000, currency: "eur" },
    ],
    weekly: [
      { weekdays: [1, 2, 3, 4], start: "09:00", end: "12:00" },
      { weekdays: [1, 2, 3, 4], start: "13:00", end: "17:00" },
      { weekdays: [5], start: "09:00", end: "13:00" },
    ],
  },
  {
    email: "james.coach@coachbook.test",
    slug: "james-carter",
    headline: "Interview preparation and negotiation",
    bio: "Former recruiter at two big tech companies. Mock interviews with honest feedback.",
    bufferAfterMinutes: 15,
    offerings: [
      { title: "Mock interview", description: "A realistic 45-minute interview and debrief.", durationMinutes: 45, priceMinor: 7500, currency: "usd" },
      { title: "Offer negotiation", description: "Plan your counter-offer together.", durationMinutes: 60, priceMinor: 12000, currency: "usd" },
    ],
    weekly: [
      { weekdays: [1, 2, 3, 4, 5], start: "10:00", end: "18:00" },
      { weekdays: [6], start: "10:00", end: "14:00" },
    ],
  },
  {
    email: "priya.coach@coachbook.test",
    slug: "priya-raman",
    headline: "Data science mentoring",
    bio: "Machine-learning engineer; portfolio reviews and study plans.",
    bufferAfterMinutes: 0,
    offerings: [{ title: "Portfolio review", description: "Review one project in depth.", durationMinutes: 50, priceMinor: 150000, currency: "inr" }],
    weekly: [{ weekdays: [1, 3, 5], start: "18:30", end: "22:00" }],
  },
];

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Idempotent: accounts that already exist are left as they are (a coach's later edits survive restarts). */
export async function seedDemoData(db: Db): Promise<{ created: string[] }> {
  const created: string[] = [];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db.user.findUnique({ where: { email: account.email } });
    if (existing) continue;
    await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { ...account, passwordHash } });
      const coach = COACHES.find((c) => c.email === account.email);
      if (coach) {
        await tx.coachProfile.create({
          data: {
            userId: user.id,
            slug: coach.slug,
            headline: coach.headline,
            bio: coach.bio,
            timeZone: account.timeZone,
            bufferAfterMinutes: coach.bufferAfterMinutes,
            minimumNoticeMinutes: 120,
            offerings: { create: coach.offerings },
            availabilityRules: {
              create: coach.weekly.flatMap((range) =>
                range.weekdays.map((weekday) => ({ weekday, startMinute: toMinute(range.start), endMinute: toMinute(range.end) })),
              ),
            },
          },
        });
      }
    });
    created.push(account.email);
  }
  return { created };
}
