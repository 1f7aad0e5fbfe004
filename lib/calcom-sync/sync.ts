import { isCalcomError } from "@/lib/calcom";
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log, redact } from "@/lib/log";
import { calcomConfigured, coachApi, getCalcomClient } from "./client";
import { contentHash, toCalcomEventType, toCalcomSchedule } from "./mapping";

export interface SyncResult {
  status: "SYNCED";
  syncedAt: string;
  calcomUserId: number | null;
  scheduleId: number | null;
  eventTypes: { offeringId: string; eventTypeId: number; changed: boolean }[];
  /** Remote writes made; 0 when nothing changed locally since the last sync. */
  remoteWrites: number;
}

// A sync left SYNCING this long ago (a crashed process) may be taken over.
const STALE_SYNC_MS = 2 * 60_000;

async function loadCoach(userId: string) {
  const coach = await db.coachProfile.findUnique({
    where: { userId },
    include: { user: true, availabilityRules: true, dateOverrides: true, offerings: { orderBy: { createdAt: "asc" } }, calcom: true },
  });
  if (!coach) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  return coach;
}

function describe(error: unknown): string {
  if (isCalcomError(error)) return redact(`Cal.com answered ${error.status ?? "no response"}: ${error.calMessage ?? error.message}`);
  if (error instanceof AppError) return error.message;
  return redact(error instanceof Error ? error.message : String(error));
}

/**
 * "Sync with Cal.com": creates the coach's managed user if missing, pushes the schedule, and creates or updates
 * one event type per offering (inactive ones are hidden). Each part is skipped when its content hash matches the
 * last push, so a second sync with nothing changed makes no remote write. The outcome (synced at / failed with
 * the reason) is recorded for the status panel; local availability is saved regardless.
 */
export async function syncCoach(userId: string): Promise<SyncResult> {
  if (!calcomConfigured()) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Cal.com is not configured on this server, so there is nothing to sync with.");
  const coach = await loadCoach(userId);
  const now = new Date();
  await ensureAccountRow(coach.id);
  const claimed = await db.calcomAccount.updateMany({
    where: { coachId: coach.id, OR: [{ syncStatus: { not: "SYNCING" } }, { syncStartedAt: { lt: new Date(now.getTime() - STALE_SYNC_MS) } }, { syncStartedAt: null }] },
    data: { syncStatus: "SYNCING", syncStartedAt: now, syncError: null },
  });
  if (claimed.count === 0) throw new AppError("CONFLICT", "A sync is already running for this coach. Wait a moment and check the status.");
  try {
    const result = await pushEverything(coach.id, userId);
    await db.calcomAccount.update({ where: { coachId: coach.id }, data: { syncStatus: "SYNCED", syncedAt: new Date(), syncError: null } });
    return result;
  } catch (error) {
    const reason = describe(error);
    await db.calcomAccount.update({ where: { coachId: coach.id }, data: { syncStatus: "FAILED", syncError: reason.slice(0, 500) } });
    log.warn("Cal.com sync failed", { coachId: coach.id, reason });
    if (error instanceof AppError) throw error;
    throw new AppError("UPSTREAM_ERROR", `Sync with Cal.com failed: ${reason}`);
  }
}

/** The coach's calcom_accounts row; two first syncs at once both get past the upsert (one of them re-reads). */
async function ensureAccountRow(coachId: string) {
  try {
    await db.calcomAccount.upsert({ where: { coachId }, create: { coachId }, update: {} });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

async function pushEverything(coachId: string, userId: string): Promise<SyncResult> {
  const client = getCalcomClient();
  let coach = await loadCoach(userId);
  let writes = 0;

  if (client.auth.kind === "platform" && !coach.calcom?.calcomUserId) {
    // Cal.com stores managed users' emails with +<clientId>; listByEmail asks for both forms.
    const existing = (await client.managedUsers.listByEmail(coach.user.email))[0];
    if (existing) {
      // Created earlier (a sync that died after Cal.com answered): adopt it and get fresh tokens.
      await db.calcomAccount.update({ where: { coachId }, data: { calcomUserId: existing.id, calcomEmail: existing.email, calcomUsername: existing.username ?? null, scheduleId: existing.defaultScheduleId ?? null } });
      // No tokens stored for it: the token manager force-refreshes and saves the new pair.
      await client.refreshCoachTokens({ coachKey: coachId, managedUserId: existing.id });
    } else {
      const created = await client.managedUsers.create({ email: coach.user.email, name: coach.user.name, timeZone: coach.timeZone }, { coachKey: coachId });
      writes++;
      await db.calcomAccount.update({
        where: { coachId },
        data: { calcomUserId: created.user.id, calcomEmail: created.user.email, calcomUsername: created.user.username ?? null, scheduleId: created.user.defaultScheduleId ?? null },
      });
    }
    coach = await loadCoach(userId);
  } else if (client.auth.kind === "apiKey") {
    // API-key mode serves one coach: the key's owner, named in configuration (never whoever syncs first).
    const owner = env().CALCOM_API_KEY_COACH_EMAIL;
    if (!owner) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Cal.com API-key mode needs CALCOM_API_KEY_COACH_EMAIL: the email of the one coach the key belongs to.");
    if (coach.user.email.toLowerCase() !== owner.toLowerCase()) {
      throw new AppError("CONFLICT", "This server's Cal.com API key belongs to another coach (API-key mode serves one coach; use Platform mode for several).");
    }
  }

  writes += await ensureWebhookSubscription(coachId);
  const api = await coachApi(coachId);
  const schedule = toCalcomSchedule({ timeZone: coach.timeZone, weeklyRules: coach.availabilityRules, dateOverrides: coach.dateOverrides });
  const scheduleHash = contentHash(schedule);
  let scheduleId = coach.calcom?.scheduleId ?? null;
  // A managed user's default schedule is ours to fill. An API key's owner is a real Cal.com user whose default
  // schedule serves their other event types: we create our own, not their default, and point our event types at it.
  const ownsDefault = client.auth.kind === "platform";
  if (!scheduleId && ownsDefault) {
    const fallback = await api.schedules.getDefault();
    scheduleId = fallback?.id ?? null;
  }
  if (!scheduleId) {
    const created = await api.schedules.create({ name: "Coachbook availability", isDefault: ownsDefault, ...schedule });
    scheduleId = created.id;
    writes++;
    await db.calcomAccount.update({ where: { coachId }, data: { scheduleId, scheduleHash } });
  } else if (scheduleHash !== coach.calcom?.scheduleHash || scheduleId !== coach.calcom?.scheduleId) {
    await api.schedules.update(scheduleId, schedule);
    writes++;
    await db.calcomAccount.update({ where: { coachId }, data: { scheduleId, scheduleHash } });
  }

  const eventTypes: SyncResult["eventTypes"] = [];
  for (const offering of coach.offerings) {
    if (!offering.active && !offering.calcomEventTypeId) continue;
    const outcome = await pushOffering(api, offering, coach, scheduleId);
    writes += outcome.changed ? 1 : 0;
    eventTypes.push({ offeringId: offering.id, eventTypeId: outcome.eventTypeId, changed: outcome.changed });
  }
  const account = await db.calcomAccount.findUniqueOrThrow({ where: { coachId } });
  return { status: "SYNCED", syncedAt: new Date().toISOString(), calcomUserId: account.calcomUserId, scheduleId, eventTypes, remoteWrites: writes };
}

export const WEBHOOK_TRIGGERS = ["BOOKING_REQUESTED", "BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED", "BOOKING_REJECTED"] as const;

/**
 * Makes sure Cal.com sends booking webhooks for the coach to <APP_URL>/api/webhooks/calcom, signed with
 * CALCOM_WEBHOOK_SECRET: one subscription for all managed users (Platform) or one for the key's owner.
 */
async function ensureWebhookSubscription(coachId: string): Promise<number> {
  const e = env();
  if (!e.CALCOM_WEBHOOK_SECRET) return 0;
  const subscriberUrl = `${e.APP_URL.replace(/\/+$/, "")}/api/webhooks/calcom`;
  const client = getCalcomClient();
  const input = { subscriberUrl, active: true, triggers: [...WEBHOOK_TRIGGERS], secret: e.CALCOM_WEBHOOK_SECRET } as Parameters<typeof client.oauthClientWebhooks.create>[0];
  // Cal.com never shows a subscription's secret: we remember a hash of the one we subscribed with. When
  // CALCOM_WEBHOOK_SECRET changes (or is unknown), our subscription is replaced, or every delivery would fail.
  const secretHash = createHash("sha256").update(e.CALCOM_WEBHOOK_SECRET).digest("hex");
  // Platform mode has one subscription for all coaches: any coach's record of the current secret will do.
  const scope = client.auth.kind === "platform" ? {} : { coachId };
  const secretCurrent = (await db.calcomAccount.count({ where: { ...scope, webhookSecretHash: secretHash } })) > 0;
  const api = client.auth.kind === "platform" ? client.oauthClientWebhooks : (await coachApi(coachId)).webhooks;
  const ours = (await api.list({ take: 250 })).filter((w) => w.subscriberUrl === subscriberUrl);
  if (secretCurrent && ours.some((w) => w.active)) return 0;
  let writes = 0;
  for (const stale of ours) {
    await api.delete(stale.id);
    writes++;
  }
  await api.create(input);
  await db.calcomAccount.update({ where: { coachId }, data: { webhookSecretHash: secretHash } });
  return writes + 1;
}

type Coach = Awaited<ReturnType<typeof loadCoach>>;
type Offering = Coach["offerings"][number];

async function pushOffering(api: Awaited<ReturnType<typeof coachApi>>, offering: Offering, coach: Coach, scheduleId: number | null) {
  const input = toCalcomEventType(offering, coach, scheduleId);
  const hash = contentHash(input);
  if (offering.calcomEventTypeId && offering.calcomSyncedHash === hash) return { eventTypeId: offering.calcomEventTypeId, changed: false };
  let eventTypeId = offering.calcomEventTypeId;
  if (eventTypeId) {
    try {
      await api.eventTypes.update(eventTypeId, input);
    } catch (error) {
      // Deleted in Cal.com by hand: create it again.
      if (!isCalcomError(error, { status: 404 })) throw error;
      eventTypeId = null;
    }
  }
  if (!eventTypeId) eventTypeId = (await api.eventTypes.create(input)).id;
  await db.offering.update({ where: { id: offering.id }, data: { calcomEventTypeId: eventTypeId, calcomSyncedHash: hash } });
  return { eventTypeId, changed: true };
}

/** "create-event-type" for one offering of a synced coach (also run after an offering is saved). */
export async function syncOffering(userId: string, offeringId: string) {
  if (!calcomConfigured()) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Cal.com is not configured on this server.");
  const coach = await loadCoach(userId);
  const offering = coach.offerings.find((o) => o.id === offeringId);
  if (!offering) throw new AppError("NOT_FOUND", "No such offering.");
  if (!coach.calcom?.syncedAt) throw new AppError("CONFLICT", "Sync with Cal.com first; then offerings are kept in step automatically.");
  const api = await coachApi(coach.id);
  const outcome = await pushOffering(api, offering, coach, coach.calcom.scheduleId);
  return { offeringId, ...outcome };
}

export async function getSyncStatus(userId: string) {
  const coach = await db.coachProfile.findUnique({ where: { userId }, include: { calcom: true } });
  if (!coach) throw new AppError("NOT_FOUND", "No coach profile for this account.");
  const a = coach.calcom;
  return {
    configured: calcomConfigured(),
    status: a?.syncStatus ?? "NEVER",
    syncedAt: a?.syncedAt?.toISOString() ?? null,
    error: a?.syncError ?? null,
  };
}
