import type { IncomingHttpHeaders } from "node:http";
import { HttpError, unauthorized } from "./http-error";
import type { EmulatorState, EmuUser } from "./state";

/**
 * Cal.com's auth strategies (api-auth.strategy.ts), as far as the app uses them:
 * - `Authorization: Bearer cal_...` → the API key's owner.
 * - `Authorization: Bearer <access token>` → that managed user; expired → 498 ACCESS_TOKEN_IS_EXPIRED.
 * - `x-cal-client-id` + `x-cal-secret-key` → the OAuth client (acting as the platform org's admin); only one of
 *   the two → 401 naming the missing header.
 * - `/v2/oauth-clients/{clientId}/...` and `/v2/oauth/{clientId}/...`: `x-cal-secret-key` for the client in the path.
 */
export type Principal =
  | { kind: "none" }
  | { kind: "apiKey"; user: EmuUser }
  | { kind: "accessToken"; user: EmuUser }
  | { kind: "oauthClient"; clientId: string };

export interface AuthConfig {
  clientId: string;
  clientSecret: string;
  apiKey: string;
  apiKeyOwnerId: number;
}

export const ACCESS_TOKEN_EXPIRED = "ACCESS_TOKEN_IS_EXPIRED";

export function authenticate(headers: IncomingHttpHeaders, state: EmulatorState, config: AuthConfig): Principal {
  const authorization = header(headers, "authorization");
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (!match) throw unauthorized("Invalid Authorization header, expected Bearer token");
    const token = match[1].trim();
    if (token.startsWith("cal_")) {
      if (token !== config.apiKey) throw unauthorized("Invalid API Key");
      const owner = state.users.get(config.apiKeyOwnerId);
      if (!owner) throw unauthorized("Invalid API Key");
      return { kind: "apiKey", user: owner };
    }
    const stored = state.tokens.get(token);
    if (!stored || stored.kind !== "access" || stored.revoked) throw unauthorized("Invalid Access Token");
    if (stored.expiresAt <= state.now()) throw new HttpError(498, ACCESS_TOKEN_EXPIRED);
    const user = state.users.get(stored.userId);
    if (!user) throw unauthorized("Invalid Access Token");
    return { kind: "accessToken", user };
  }
  const clientId = header(headers, "x-cal-client-id");
  const secret = header(headers, "x-cal-secret-key");
  if (clientId && !secret) throw unauthorized("OAuth client secret key is missing: send the x-cal-secret-key header together with x-cal-client-id");
  if (secret && !clientId) throw unauthorized("OAuth client id is missing: send the x-cal-client-id header together with x-cal-secret-key");
  if (clientId && secret) {
    if (clientId !== config.clientId) throw unauthorized("OAuth client not found");
    if (secret !== config.clientSecret) throw unauthorized("Invalid OAuth client secret");
    return { kind: "oauthClient", clientId };
  }
  return { kind: "none" };
}

/** Routes with the client id in the path: only `x-cal-secret-key` is needed. */
export function authenticateClientPath(headers: IncomingHttpHeaders, pathClientId: string, config: AuthConfig): Principal {
  const secret = header(headers, "x-cal-secret-key");
  if (!secret) throw unauthorized("x-cal-secret-key header is missing");
  if (pathClientId !== config.clientId) throw unauthorized(`OAuth client with ID ${pathClientId} not found`);
  if (secret !== config.clientSecret) throw unauthorized("Invalid OAuth client secret");
  return { kind: "oauthClient", clientId: pathClientId };
}

/** The user a principal acts as (API key owner or managed user), if any. */
export function actingUser(principal: Principal): EmuUser | undefined {
  return principal.kind === "apiKey" || principal.kind === "accessToken" ? principal.user : undefined;
}

export function requireUser(principal: Principal): EmuUser {
  const user = actingUser(principal);
  if (!user) throw unauthorized("Authorization header with an API key or access token is required");
  return user;
}

/** What kind of credentials a request carried, for the request log (never the values). */
export function describeAuth(headers: IncomingHttpHeaders): string {
  const authorization = header(headers, "authorization");
  if (authorization) return /^Bearer\s+cal_/i.test(authorization) ? "apiKey" : "accessToken";
  const hasId = Boolean(header(headers, "x-cal-client-id"));
  const hasSecret = Boolean(header(headers, "x-cal-secret-key"));
  if (hasId && hasSecret) return "clientHeaders";
  if (hasSecret) return "secretKey";
  if (hasId) return "clientId";
  return "none";
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
