import { log } from "@/lib/log";
import type { CalcomHttp } from "./client";
import { type CalcomError, isCalcomError } from "./errors";
import { keysSchema } from "./schemas";

/**
 * Managed-user (coach) access tokens in Platform mode. Access tokens live 60 min, refresh tokens a year, and a
 * refresh rotates the refresh token, so the new pair must be saved before it is used.
 *
 * - Before a call: refresh when less than `refreshLeewayMs` (default 60 s) is left.
 * - On HTTP 498 (ACCESS_TOKEN_IS_EXPIRED): refresh, then retry the call once (coachCall in index.ts).
 * - When Cal.com rejects the refresh token (4xx), or none is stored, or it has expired:
 *   POST /v2/oauth-clients/{clientId}/users/{userId}/force-refresh.
 * - Refreshes are serialised per coach inside this process: concurrent callers share one in-flight promise, and
 *   a caller that saw a 498 with a token someone else already replaced just uses the replacement. Across
 *   processes the TokenStore implementation must serialise (e.g. a row lock) if that matters.
 */
export interface CalcomTokens {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date;
}

export interface TokenStore {
  get(coachKey: string): Promise<CalcomTokens | null>;
  save(coachKey: string, tokens: CalcomTokens): Promise<void>;
  /**
   * Optional: runs `fn` while holding a lock for this coach that other processes respect too (e.g. a Postgres
   * advisory lock). With it, processes sharing the store refresh one at a time, and the later ones reuse the
   * pair the first one saved instead of spending a rotated-out refresh token.
   */
  withLock?<T>(coachKey: string, fn: () => Promise<T>): Promise<T>;
}

/** Identifies a coach: the app's key for the token row, and the Cal.com managed user id (for force-refresh). */
export interface CoachRef {
  coachKey: string;
  managedUserId: number;
}

/** In-memory TokenStore for tests and local development (tokens are lost on restart). */
export class InMemoryTokenStore implements TokenStore {
  readonly tokens = new Map<string, CalcomTokens>();
  saves = 0;
  async get(coachKey: string) {
    const tokens = this.tokens.get(coachKey);
    return tokens ? { ...tokens } : null;
  }
  async save(coachKey: string, tokens: CalcomTokens) {
    this.saves++;
    this.tokens.set(coachKey, { ...tokens });
  }
}

export function toCalcomTokens(keys: { accessToken: string; refreshToken: string; accessTokenExpiresAt: number; refreshTokenExpiresAt: number }): CalcomTokens {
  return {
    accessToken: keys.accessToken,
    refreshToken: keys.refreshToken,
    accessTokenExpiresAt: new Date(keys.accessTokenExpiresAt),
    refreshTokenExpiresAt: new Date(keys.refreshTokenExpiresAt),
  };
}

export interface TokenManagerOptions {
  http: CalcomHttp;
  clientId: string;
  /** Needed for coach calls; refresh/forceRefresh by themselves work without one. */
  store?: TokenStore;
  refreshLeewayMs?: number;
  now?: () => number;
}

export class TokenManager {
  private readonly inflight = new Map<string, Promise<CalcomTokens>>();
  private readonly leeway: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.leeway = options.refreshLeewayMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  get hasStore(): boolean {
    return this.options.store !== undefined;
  }

  private get store(): TokenStore {
    if (!this.options.store) throw new Error("Cal.com Platform coach calls need a tokenStore");
    return this.options.store;
  }

  /** A usable access token for the coach, refreshing first if it is missing or about to expire. */
  async accessToken(ref: CoachRef): Promise<string> {
    const pending = this.inflight.get(ref.coachKey);
    if (pending) return (await pending).accessToken;
    const tokens = await this.store.get(ref.coachKey);
    if (tokens && !this.expiresSoon(tokens)) return tokens.accessToken;
    return (await this.refresh(ref)).accessToken;
  }

  /**
   * Refreshes the coach's tokens (one in-flight refresh per coach). `staleAccessToken` is the token a call was
   * rejected with: if the store already holds a different, fresh one, that one is returned without a refresh.
   */
  refresh(ref: CoachRef, staleAccessToken?: string): Promise<CalcomTokens> {
    const pending = this.inflight.get(ref.coachKey);
    if (pending) return pending;
    const promise = this.doRefresh(ref, staleAccessToken).finally(() => this.inflight.delete(ref.coachKey));
    this.inflight.set(ref.coachKey, promise);
    return promise;
  }

  private async doRefresh(ref: CoachRef, staleAccessToken?: string): Promise<CalcomTokens> {
    const store = this.store;
    if (!store.withLock) return this.refreshUnlocked(ref, staleAccessToken);
    const seen = (await store.get(ref.coachKey))?.accessToken;
    return store.withLock(ref.coachKey, async () => {
      const current = await store.get(ref.coachKey);
      // Another process refreshed while we waited for the lock: use its pair.
      if (current && current.accessToken !== seen && current.accessToken !== staleAccessToken && !this.expiresSoon(current)) return current;
      return this.refreshUnlocked(ref, staleAccessToken);
    });
  }

  private async refreshUnlocked(ref: CoachRef, staleAccessToken?: string): Promise<CalcomTokens> {
    const store = this.store;
    const current = await store.get(ref.coachKey);
    if (current && staleAccessToken !== undefined && current.accessToken !== staleAccessToken && !this.expiresSoon(current)) {
      return current;
    }
    let next: CalcomTokens | undefined;
    if (current && current.refreshTokenExpiresAt.getTime() > this.now()) {
      try {
        next = await this.refreshWithToken(current.refreshToken);
      } catch (error) {
        if (!isRefreshRejected(error)) throw error;
        log.warn("calcom.refresh_rejected", { coachKey: ref.coachKey, status: (error as CalcomError).status });
      }
    }
    next ??= await this.forceRefresh(ref.managedUserId);
    await store.save(ref.coachKey, next);
    return next;
  }

  /** POST /v2/oauth/{clientId}/refresh (rotates the refresh token). */
  async refreshWithToken(refreshToken: string): Promise<CalcomTokens> {
    const clientId = encodeURIComponent(this.options.clientId);
    const keys = await this.options.http.request({
      method: "POST",
      path: `/v2/oauth/${clientId}/refresh`,
      template: "/v2/oauth/{clientId}/refresh",
      auth: { kind: "clientSecret" },
      body: { refreshToken },
      data: keysSchema,
    });
    return toCalcomTokens(keys);
  }

  /** POST /v2/oauth-clients/{clientId}/users/{userId}/force-refresh (when the refresh token is lost or rejected). */
  async forceRefresh(managedUserId: number): Promise<CalcomTokens> {
    const clientId = encodeURIComponent(this.options.clientId);
    const keys = await this.options.http.request({
      method: "POST",
      path: `/v2/oauth-clients/${clientId}/users/${managedUserId}/force-refresh`,
      template: "/v2/oauth-clients/{clientId}/users/{userId}/force-refresh",
      auth: { kind: "clientSecret" },
      data: keysSchema,
    });
    return toCalcomTokens(keys);
  }

  private expiresSoon(tokens: CalcomTokens) {
    return tokens.accessTokenExpiresAt.getTime() - this.now() < this.leeway;
  }
}

/** Cal.com refused the refresh token itself (as opposed to being unavailable). */
function isRefreshRejected(error: unknown): boolean {
  return isCalcomError(error, { kind: "http" }) && error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429;
}
