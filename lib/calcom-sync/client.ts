import { CalcomClient, createTokenCipher, type CalcomTokens, type CoachApi, type TokenStore } from "@/lib/calcom";
import { db } from "@/lib/db/client";
import { withSessionAdvisoryLock } from "@/lib/db/session-lock";
import { authSecret, calcomMode, env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * The app's Cal.com client, configured from the environment (Platform OAuth client or API key; CALCOM_API_URL
 * can point at the emulator), with coach tokens kept encrypted at rest in calcom_accounts.
 */
function cipher() {
  const e = env();
  return createTokenCipher(e.TOKEN_ENCRYPTION_KEY ?? `calcom-tokens:${authSecret()}`);
}

/** Tokens of one coach, keyed by the coach profile id; the coach id is bound into the ciphertext. */
export class DbTokenStore implements TokenStore {
  async get(coachKey: string): Promise<CalcomTokens | null> {
    const account = await db.calcomAccount.findUnique({ where: { coachId: coachKey } });
    if (!account?.accessTokenEnc || !account.refreshTokenEnc || !account.accessTokenExpiresAt || !account.refreshTokenExpiresAt) return null;
    const c = cipher();
    try {
      return {
        accessToken: c.decrypt(account.accessTokenEnc, coachKey),
        refreshToken: c.decrypt(account.refreshTokenEnc, coachKey),
        accessTokenExpiresAt: account.accessTokenExpiresAt,
        refreshTokenExpiresAt: account.refreshTokenExpiresAt,
      };
    } catch {
      // Key rotated or data damaged: behave as "no tokens", which makes the client force-refresh.
      return null;
    }
  }

  /**
   * A per-coach advisory lock so app processes refresh one at a time (a refresh rotates the tokens). Held on a
   * dedicated connection outside the Prisma pool, with no transaction open, so the HTTP refresh it surrounds
   * never pins a pooled connection.
   */
  async withLock<T>(coachKey: string, fn: () => Promise<T>): Promise<T> {
    return withSessionAdvisoryLock(`calcom-token-refresh:${coachKey}`, fn);
  }

  async save(coachKey: string, tokens: CalcomTokens): Promise<void> {
    const c = cipher();
    const data = {
      accessTokenEnc: c.encrypt(tokens.accessToken, coachKey),
      refreshTokenEnc: c.encrypt(tokens.refreshToken, coachKey),
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
    };
    await db.calcomAccount.upsert({ where: { coachId: coachKey }, create: { coachId: coachKey, ...data }, update: data });
  }
}

const cached: Partial<Record<CallProfile, { key: string; client: CalcomClient }>> = {};

/**
 * "background" (sync, jobs): patient — 10 s per attempt (CALCOM_TIMEOUT_MS), 3 retries, honours long Retry-After.
 * "interactive" (a student waiting for the slots page): one short try and one retry, then the local engine answers.
 */
export type CallProfile = "background" | "interactive";

export function calcomConfigured(): boolean {
  return calcomMode().kind !== "none";
}

export function getCalcomClient(profile: CallProfile = "background"): CalcomClient {
  const mode = calcomMode();
  if (mode.kind === "none") throw new AppError("INTEGRATION_NOT_CONFIGURED", "Cal.com is not configured on this server; availability is served locally.");
  const { CALCOM_API_URL: baseUrl, CALCOM_TIMEOUT_MS: timeoutMs } = env();
  const key = JSON.stringify([mode, baseUrl, timeoutMs]);
  const current = cached[profile];
  if (current && current.key === key) return current.client;
  const interactive = profile === "interactive";
  const client = new CalcomClient({
    baseUrl,
    auth: mode.kind === "platform" ? { kind: "platform", clientId: mode.clientId, clientSecret: mode.clientSecret } : { kind: "apiKey", apiKey: mode.apiKey },
    tokenStore: new DbTokenStore(),
    timeoutMs: interactive ? Math.min(timeoutMs, 3000) : timeoutMs,
    maxRetries: interactive ? 1 : 3,
    ...(interactive ? { retry: { maxRetryAfterMs: 1000 } } : {}),
  });
  cached[profile] = { key, client };
  return client;
}

/** Calls made as the coach: their managed user's token (Platform) or the API key (single-coach mode). */
export async function coachApi(coachId: string): Promise<CoachApi> {
  const client = getCalcomClient();
  if (client.auth.kind === "apiKey") return client.coach();
  const account = await db.calcomAccount.findUnique({ where: { coachId } });
  if (!account?.calcomUserId) throw new AppError("CONFLICT", "This coach is not connected to Cal.com yet. Sync with Cal.com first.");
  return client.coach({ coachKey: coachId, managedUserId: account.calcomUserId });
}
