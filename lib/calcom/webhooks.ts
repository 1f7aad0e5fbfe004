import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { type CalcomContext, enc, type Scope } from "./context";
import type { components } from "./openapi";
import { type OAuthClientWebhook, oauthClientWebhookSchema, type UserWebhook, userWebhookSchema } from "./schemas";

/**
 * Webhook subscriptions and signature verification (CONTRACT.md §8).
 * - OAuth-client webhooks cover all managed users of the client (recommended): x-cal-secret-key.
 * - User webhooks: POST /v2/webhooks as the user (API key, or the coach's access token).
 * Always set `secret`: without one Cal.com sends unsigned deliveries (header "no-secret-provided").
 */
export type CreateWebhookInput = components["schemas"]["CreateWebhookInputDto"];
export type WebhookTrigger = CreateWebhookInput["triggers"][number];

export function oauthClientWebhooksApi(ctx: CalcomContext) {
  const scope = { kind: "clientSecret" } as const;
  const root = (method: string) => `/v2/oauth-clients/${enc(ctx.requireClientId({ method, template: "/v2/oauth-clients/{clientId}/webhooks" }))}/webhooks`;
  return {
    /** POST /v2/oauth-clients/{clientId}/webhooks */
    async create(input: CreateWebhookInput): Promise<OAuthClientWebhook> {
      return ctx.send(scope, { method: "POST", path: root("POST"), template: "/v2/oauth-clients/{clientId}/webhooks", body: input, data: oauthClientWebhookSchema });
    },
    /** GET /v2/oauth-clients/{clientId}/webhooks */
    async list(query: { take?: number; skip?: number } = {}): Promise<OAuthClientWebhook[]> {
      return ctx.send(scope, { method: "GET", path: root("GET"), template: "/v2/oauth-clients/{clientId}/webhooks", query, data: z.array(oauthClientWebhookSchema) });
    },
    /** DELETE /v2/oauth-clients/{clientId}/webhooks/{webhookId} */
    async delete(webhookId: number): Promise<OAuthClientWebhook> {
      return ctx.send(scope, {
        method: "DELETE",
        path: `${root("DELETE")}/${enc(String(webhookId))}`,
        template: "/v2/oauth-clients/{clientId}/webhooks/{webhookId}",
        data: oauthClientWebhookSchema,
      });
    },
  };
}

export function userWebhooksApi(ctx: CalcomContext, scope: Scope) {
  return {
    /** POST /v2/webhooks (as the user: API key or coach access token). */
    create(input: CreateWebhookInput): Promise<UserWebhook> {
      return ctx.send(scope, { method: "POST", path: "/v2/webhooks", template: "/v2/webhooks", body: input, data: userWebhookSchema });
    },
    /** GET /v2/webhooks */
    list(query: { take?: number; skip?: number } = {}): Promise<UserWebhook[]> {
      return ctx.send(scope, { method: "GET", path: "/v2/webhooks", template: "/v2/webhooks", query, data: z.array(userWebhookSchema) });
    },
    /** DELETE /v2/webhooks/{webhookId} */
    delete(webhookId: number): Promise<UserWebhook> {
      return ctx.send(scope, { method: "DELETE", path: `/v2/webhooks/${enc(String(webhookId))}`, template: "/v2/webhooks/{webhookId}", data: userWebhookSchema });
    },
  };
}

export const CALCOM_SIGNATURE_HEADER = "x-cal-signature-256";

/** Lowercase hex HMAC-SHA256 of the exact raw body, keyed with the webhook's secret (Cal.com's scheme). */
export function signCalcomPayload(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

/**
 * Verifies `X-Cal-Signature-256` against the raw request body (read it with `await req.text()` before any JSON
 * parsing). Rejects a missing/empty header, the literal "no-secret-provided", an empty secret, non-hex values
 * and wrong lengths; compares with timingSafeEqual. There is no timestamp: dedupe replays yourself.
 */
export function verifyCalcomSignature(rawBody: string | Buffer, header: string | null | undefined, secret: string | undefined): boolean {
  if (!secret || typeof header !== "string") return false;
  const received = header.trim().toLowerCase();
  if (received === "" || received === "no-secret-provided" || !/^[0-9a-f]{64}$/.test(received)) return false;
  const expected = Buffer.from(signCalcomPayload(rawBody, secret), "hex");
  const given = Buffer.from(received, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type OAuthClientWebhooksApi = ReturnType<typeof oauthClientWebhooksApi>;
export type UserWebhooksApi = ReturnType<typeof userWebhooksApi>;
