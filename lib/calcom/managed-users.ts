import { z } from "zod";
import { type CalcomContext, configError, enc } from "./context";
import type { components } from "./openapi";
import { createManagedUserDataSchema, type ManagedUser, managedUserSchema } from "./schemas";
import { type CalcomTokens, type TokenStore, toCalcomTokens } from "./tokens";

/** Platform managed users (tag "Platform / Managed Users"; x-cal-secret-key, client id in the path). */
export type CreateManagedUserInput = components["schemas"]["CreateManagedUserInput"];
export type UpdateManagedUserInput = components["schemas"]["UpdateManagedUserInput"];

export interface CreatedManagedUser {
  user: ManagedUser;
  tokens: CalcomTokens;
}

export interface ListManagedUsersQuery {
  limit?: number;
  offset?: number;
  emails?: readonly string[];
}

/**
 * Cal.com stores managed users' emails as `local+<clientId>@domain` (CONTRACT.md §2) and shows that form in
 * bookings and webhooks. Returns the suffixed form; idempotent.
 */
export function withClientIdSuffix(email: string, clientId: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return email;
  const local = email.slice(0, at);
  if (local.endsWith(`+${clientId}`)) return email;
  return `${local}+${clientId}${email.slice(at)}`;
}

export function managedUsersApi(ctx: CalcomContext, store: TokenStore | undefined) {
  const scope = { kind: "clientSecret" } as const;
  const base = (method: string, template: string) => ({ clientId: enc(ctx.requireClientId({ method, template })), template });

  return {
    /**
     * POST /v2/oauth-clients/{clientId}/users. Send `timeZone` so Cal.com creates the default schedule. With
     * `coachKey`, the returned tokens are saved in the TokenStore before this resolves.
     */
    async create(input: CreateManagedUserInput, options: { coachKey?: string } = {}): Promise<CreatedManagedUser> {
      const { clientId, template } = base("POST", "/v2/oauth-clients/{clientId}/users");
      const data = await ctx.send(scope, { method: "POST", path: `/v2/oauth-clients/${clientId}/users`, template, body: input, data: createManagedUserDataSchema });
      const tokens = toCalcomTokens(data);
      if (options.coachKey !== undefined) {
        if (!store) throw configError({ method: "POST", template }, "coachKey given but no tokenStore configured");
        await store.save(options.coachKey, tokens);
      }
      return { user: data.user, tokens };
    },

    /** GET /v2/oauth-clients/{clientId}/users/{userId} */
    async get(userId: number): Promise<ManagedUser> {
      const { clientId, template } = base("GET", "/v2/oauth-clients/{clientId}/users/{userId}");
      return ctx.send(scope, { method: "GET", path: `/v2/oauth-clients/${clientId}/users/${userId}`, template, data: managedUserSchema });
    },

    /** GET /v2/oauth-clients/{clientId}/users?limit&offset&emails=a,b */
    async list(query: ListManagedUsersQuery = {}): Promise<ManagedUser[]> {
      const { clientId, template } = base("GET", "/v2/oauth-clients/{clientId}/users");
      return ctx.send(scope, {
        method: "GET",
        path: `/v2/oauth-clients/${clientId}/users`,
        template,
        query: { limit: query.limit, offset: query.offset, emails: query.emails?.length ? query.emails : undefined },
        data: z.array(managedUserSchema),
      });
    },

    /**
     * Managed users with this email. Both the plain and the `+clientId` form are asked for, because Cal.com
     * filters on the stored (suffixed) email.
     */
    async listByEmail(email: string): Promise<ManagedUser[]> {
      const clientId = ctx.requireClientId({ method: "GET", template: "/v2/oauth-clients/{clientId}/users" });
      const emails = [...new Set([email, withClientIdSuffix(email, clientId)])];
      return this.list({ emails });
    },

    /** PATCH /v2/oauth-clients/{clientId}/users/{userId} (e.g. defaultScheduleId, timeZone, name). */
    async update(userId: number, patch: UpdateManagedUserInput): Promise<ManagedUser> {
      const { clientId, template } = base("PATCH", "/v2/oauth-clients/{clientId}/users/{userId}");
      return ctx.send(scope, { method: "PATCH", path: `/v2/oauth-clients/${clientId}/users/${userId}`, template, body: patch, data: managedUserSchema });
    },

    /** DELETE /v2/oauth-clients/{clientId}/users/{userId} */
    async delete(userId: number): Promise<ManagedUser> {
      const { clientId, template } = base("DELETE", "/v2/oauth-clients/{clientId}/users/{userId}");
      return ctx.send(scope, { method: "DELETE", path: `/v2/oauth-clients/${clientId}/users/${userId}`, template, data: managedUserSchema });
    },

    /** POST /v2/oauth/{clientId}/refresh: new token pair (the refresh token rotates; save both). */
    async refresh(refreshToken: string): Promise<CalcomTokens> {
      ctx.requireClientId({ method: "POST", template: "/v2/oauth/{clientId}/refresh" });
      return ctx.tokens!.refreshWithToken(refreshToken);
    },

    /** POST /v2/oauth-clients/{clientId}/users/{userId}/force-refresh: new token pair without a refresh token. */
    async forceRefresh(userId: number): Promise<CalcomTokens> {
      ctx.requireClientId({ method: "POST", template: "/v2/oauth-clients/{clientId}/users/{userId}/force-refresh" });
      return ctx.tokens!.forceRefresh(userId);
    },
  };
}

export type ManagedUsersApi = ReturnType<typeof managedUsersApi>;
