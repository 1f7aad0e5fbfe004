import { getAvailableSlots } from "@/lib/availability";
import { db } from "@/lib/db/client";
import { loadOfferingRules } from "@/lib/booking/rules";
import { revalidateCoachPagesById } from "./page-cache";
import { AppError } from "@/lib/errors";
import type { CalcomSyncStatus } from "@/lib/generated/prisma/enums";
import { minutesToTime, timeToMinutes, type AvailabilityForm } from "./availability-schemas";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];
type Reader = Pick<Tx, "coachProfile" | "availabilityRule" | "dateOverride">;

/** The coach's Cal.com sync state as far as local availability is concerned. */
export interface CalcomSyncState {
  status: CalcomSyncStatus;
  syncedAt: string | null;
  /** The schedule was synced, and local availability changed after that sync began: Cal.com is stale. */
  needsSync: boolean;
}

export interface SaveAvailabilityResult {
  availability: AvailabilityForm;
  /** False when the submitted availability equals the stored one (nothing was written). */
  changed: boolean;
  /** Null when the coach has no Cal.com account. */
  calcom: CalcomSyncState | null;
}

/**
 * Whether Cal.com's copy of the schedule is older than the local availability. Derived without a column:
 * every availability save that changes something bumps `coach_profiles.updated_at` (and nothing in the
 * Cal.com sync writes that row). The reference point is the start of the last successful sync when known
 * (`syncStartedAt ≤ syncedAt`), so a save made while that sync was running still counts as unsynced.
 * Profile edits other than availability (headline, bio) also bump `updated_at`; the sync is then a no-op
 * thanks to `scheduleHash`, so the cost of that false positive is one request.
 */
export function calcomNeedsSync(
  profileUpdatedAt: Date,
  account: { syncStatus: CalcomSyncStatus; syncedAt: Date | null; syncStartedAt: Date | null },
): boolean {
  if (account.syncStatus !== "SYNCED" || !account.syncedAt) return false;
  const reference = account.syncStartedAt && account.syncStartedAt <= account.syncedAt ? account.syncStartedAt : account.syncedAt;
  return profileUpdatedAt > reference;
}

function syncState(profileUpdatedAt: Date, account: { syncStatus: CalcomSyncStatus; syncedAt: Date | null; syncStartedAt: Date | null } | null): CalcomSyncState | null {
  if (!account) return null;
  return { status: account.syncStatus, syncedAt: account.syncedAt?.toISOString() ?? null, needsSync: calcomNeedsSync(profileUpdatedAt, account) };
}

/** Canonical order: rules by weekday then time; overrides by date, ranges by time. */
export function normalizeAvailability(form: AvailabilityForm): AvailabilityForm {
  const byTime = (a: { start: string; end: string }, b: { start: string; end: string }) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end);
  return {
    timeZone: form.timeZone,
    weeklyRules: form.weeklyRules
      .map((rule) => ({ weekday: rule.weekday, start: rule.start, end: rule.end }))
      .sort((a, b) => a.weekday - b.weekday || byTime(a, b)),
    dateOverrides: form.dateOverrides
      .map((override) => ({ date: override.date, ranges: override.ranges.map((range) => ({ start: range.start, end: range.end })).sort(byTime) }))
      .sort((a, b) => a.date.localeCompare(b.date)),
    bufferBeforeMinutes: form.bufferBeforeMinutes,
    bufferAfterMinutes: form.bufferAfterMinutes,
    minimumNoticeMinutes: form.minimumNoticeMinutes,
    bookingHorizonDays: form.bookingHorizonDays,
    slotIntervalMinutes: form.slotIntervalMinutes,
  };
}

async function readForm(reader: Reader, coachId: string): Promise<AvailabilityForm> {
  const [profile, rules, overrides] = await Promise.all([
    reader.coachProfile.findUniqueOrThrow({ where: { id: coachId } }),
    reader.availabilityRule.findMany({ where: { coachId } }),
    reader.dateOverride.findMany({ where: { coachId } }),
  ]);
  const dates = new Map<string, { start: string; end: string }[]>();
  for (const row of overrides) {
    const ranges = dates.get(row.date) ?? [];
    if (row.startMinute !== null && row.endMinute !== null) ranges.push({ start: minutesToTime(row.startMinute), end: minutesToTime(row.endMinute) });
    dates.set(row.date, ranges);
  }
  return normalizeAvailability({
    timeZone: profile.timeZone,
    weeklyRules: rules.map((rule) => ({ weekday: rule.weekday, start: minutesToTime(rule.startMinute), end: minutesToTime(rule.endMinute) })),
    dateOverrides: [...dates].map(([date, ranges]) => ({ date, ranges })),
    bufferBeforeMinutes: profile.bufferBeforeMinutes,
    bufferAfterMinutes: profile.bufferAfterMinutes,
    minimumNoticeMinutes: profile.minimumNoticeMinutes,
    bookingHorizonDays: profile.bookingHorizonDays,
    slotIntervalMinutes: profile.slotIntervalMinutes,
  });
}

async function coachProfileFor(userId: string) {
  const coach = await db.coachProfile.findUnique({ where: { userId }, include: { calcom: true } });
  if (!coach) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  return coach;
}

/** The coach's availability in the form's shape, in canonical order. */
export async function getAvailability(userId: string): Promise<AvailabilityForm> {
  const coach = await coachProfileFor(userId);
  return readForm(db, coach.id);
}

/** The availability form plus the Cal.com sync state, for the page and the GET route. */
export async function getAvailabilityWithSync(userId: string): Promise<{ availability: AvailabilityForm; calcom: CalcomSyncState | null }> {
  const coach = await coachProfileFor(userId);
  return { availability: await readForm(db, coach.id), calcom: syncState(coach.updatedAt, coach.calcom) };
}

/**
 * Replaces the weekly rules and date overrides and updates the booking limits, all in one transaction:
 * a failure leaves the previous availability untouched. The coach's profile row is locked first, so two
 * concurrent saves apply one after the other instead of merging their rules. Local availability is always
 * saved; a coach whose Cal.com schedule was synced is then reported as needing a sync (`calcomNeedsSync`).
 * Submitting the stored availability unchanged writes nothing.
 */
export async function saveAvailability(userId: string, input: AvailabilityForm): Promise<SaveAvailabilityResult> {
  const result = await saveAvailabilityInTransaction(userId, input);
  // The coach pages show the coach's zone; slot answers need nothing here (the availability_version trigger).
  if (result.changed) await revalidateCoachPagesById(result.coachId);
  const { coachId: _coachId, ...rest } = result;
  return rest;
}

async function saveAvailabilityInTransaction(userId: string, input: AvailabilityForm): Promise<SaveAvailabilityResult & { coachId: string }> {
  const next = normalizeAvailability(input);
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM coach_profiles WHERE user_id = ${userId} FOR UPDATE`;
    const coachId = locked[0]?.id;
    if (!coachId) throw new AppError("NOT_FOUND", "No coach profile for this account.");

    const before = await readForm(tx, coachId);
    const changed = JSON.stringify(before) !== JSON.stringify(next);
    if (changed) {
      await tx.availabilityRule.deleteMany({ where: { coachId } });
      await tx.dateOverride.deleteMany({ where: { coachId } });
      if (next.weeklyRules.length > 0) {
        await tx.availabilityRule.createMany({
          data: next.weeklyRules.map((rule) => ({ coachId, weekday: rule.weekday, startMinute: timeToMinutes(rule.start), endMinute: timeToMinutes(rule.end) })),
        });
      }
      const overrideRows = next.dateOverrides.flatMap((override): { coachId: string; date: string; startMinute: number | null; endMinute: number | null }[] =>
        override.ranges.length === 0
          ? [{ coachId, date: override.date, startMinute: null, endMinute: null }]
          : override.ranges.map((range) => ({ coachId, date: override.date, startMinute: timeToMinutes(range.start), endMinute: timeToMinutes(range.end) })),
      );
      if (overrideRows.length > 0) await tx.dateOverride.createMany({ data: overrideRows });
      await tx.coachProfile.update({
        where: { id: coachId },
        data: {
          timeZone: next.timeZone,
          bufferBeforeMinutes: next.bufferBeforeMinutes,
          bufferAfterMinutes: next.bufferAfterMinutes,
          minimumNoticeMinutes: next.minimumNoticeMinutes,
          bookingHorizonDays: next.bookingHorizonDays,
          slotIntervalMinutes: next.slotIntervalMinutes,
          // Marks the availability as changed for calcomNeedsSync, even when only rules or overrides changed.
          updatedAt: new Date(),
        },
      });
    }
    const profile = await tx.coachProfile.findUniqueOrThrow({ where: { id: coachId }, include: { calcom: true } });
    return { availability: next, changed, calcom: syncState(profile.updatedAt, profile.calcom), coachId };
  });
}

export interface SlotPreview {
  /** The zone the slots should be shown in (the coach's availability zone). */
  timeZone: string;
  /** The offering the slots are for: the coach's first active one, or null when there is none. */
  offering: { id: string; title: string; durationMinutes: number } | null;
  /** UTC instants, ISO strings, in order. */
  slots: { start: string; end: string }[];
}

/**
 * The next free slots of the coach's first active offering over the next `days` days, computed by the local
 * engine from the stored availability and the coach's live bookings and holds (what the database's
 * no-overlap constraint counts as taken).
 */
export async function previewSlots(userId: string, options: { now?: Date; days?: number } = {}): Promise<SlotPreview> {
  const now = options.now ?? new Date();
  const to = new Date(now.getTime() + (options.days ?? 7) * 24 * 60 * 60 * 1000);
  const coach = await db.coachProfile.findUnique({
    where: { userId },
    select: { timeZone: true, offerings: { where: { active: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 1, select: { id: true } } },
  });
  if (!coach) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  if (!coach.offerings[0]) return { timeZone: coach.timeZone, offering: null, slots: [] };
  // The same rules and busy time the booking code uses (lib/booking/rules.ts).
  const { offering, rules } = await loadOfferingRules(db, coach.offerings[0].id, now, now, to);
  const slots = getAvailableSlots({ ...rules, from: now, to });
  return {
    timeZone: coach.timeZone,
    offering: { id: offering.id, title: offering.title, durationMinutes: offering.durationMinutes },
    slots: slots.map((slot) => ({ start: slot.start.toISOString(), end: slot.end.toISOString() })),
  };
}
