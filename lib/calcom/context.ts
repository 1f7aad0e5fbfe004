import type { CalcomHttp, CalcomRequest } from "./client";
import { CalcomError, isCalcomError } from "./errors";
import type { CoachRef, TokenManager } from "./tokens";

/**
 * Who a call is made as:
 * - "none": public endpoints (slots).
 * - "client": the OAuth client (x-cal-client-id + x-cal-secret-key) in Platform mode, the API key otherwise.
 * - "clientSecret": /v2/oauth-clients/{clientId}/... and /v2/oauth/{clientId}/... (x-cal-secret-key only).
 * - "coach": the managed user's access token (Platform, via the TokenStore), the API key otherwise.
 */
export type Scope = { kind: "none" } | { kind: "client" } | { kind: "clientSecret" } | { kind: "coach"; ref?: CoachRef };

export type ScopedRequest<T> = Omit<CalcomRequest<T>, "auth">;

export class CalcomContext {
  constructor(
    readonly http: CalcomHttp,
    readonly tokens: TokenManager | undefined,
  ) {}

  get clientId(): string | undefined {
    return this.http.auth.kind === "platform" ? this.http.auth.clientId : undefined;
  }

  requireClientId(request: { method: string; template: string }): string {
    const clientId = this.clientId;
    if (!clientId) throw configError(request, "this endpoint needs Platform (OAuth client) credentials");
    return clientId;
  }

  async send<T>(scope: Scope, request: ScopedRequest<T>): Promise<T> {
    if (scope.kind === "none") return this.http.request({ ...request, auth: { kind: "none" } });
    if (scope.kind === "client") return this.http.request({ ...request, auth: { kind: "client" } });
    if (scope.kind === "clientSecret") return this.http.request({ ...request, auth: { kind: "clientSecret" } });
    const auth = this.http.auth;
    if (auth.kind === "apiKey") return this.http.request({ ...request, auth: { kind: "bearer", token: auth.apiKey } });
    const ref = scope.ref;
    if (!ref) throw configError(request, "coach calls in Platform mode need a CoachRef { coachKey, managedUserId }");
    if (!this.tokens?.hasStore) throw configError(request, "coach calls in Platform mode need a tokenStore");
    const token = await this.tokens.accessToken(ref);
    try {
      return await this.http.request({ ...request, auth: { kind: "bearer", token } });
    } catch (error) {
      if (!isCalcomError(error, { status: 498 })) throw error;
      // ACCESS_TOKEN_IS_EXPIRED: refresh (shared with concurrent callers) and retry exactly once.
      const fresh = await this.tokens.refresh(ref, token);
      return this.http.request({ ...request, auth: { kind: "bearer", token: fresh.accessToken } });
    }
  }
}

export function configError(request: { method: string; template: string }, message: string) {
  return new CalcomError({ kind: "config", method: request.method, path: request.template, calMessage: message });
}

export const enc = encodeURIComponent;
