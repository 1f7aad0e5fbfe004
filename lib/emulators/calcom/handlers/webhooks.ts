import { requireUser } from "../auth";
import { type Route, type RequestContext, ok, webhookOut } from "../core";
import { badRequest, notFound } from "../http-error";
import type { EmuWebhook, EmuWebhookScope } from "../state";
import { parseId } from "./shared";

/**
 * Webhook subscriptions (CONTRACT.md §8): OAuth-client webhooks (all managed users of the client) and user
 * webhooks (POST /v2/webhooks as the user). `triggers` is an array; without `secret` deliveries are unsigned.
 */
export const TRIGGERS = [
  "BOOKING_CREATED", "BOOKING_PAYMENT_INITIATED", "BOOKING_PAID", "BOOKING_RESCHEDULED", "BOOKING_REQUESTED",
  "BOOKING_CANCELLED", "BOOKING_REJECTED", "BOOKING_NO_SHOW_UPDATED", "FORM_SUBMITTED", "MEETING_ENDED",
  "MEETING_STARTED", "RECORDING_READY", "INSTANT_MEETING", "RECORDING_TRANSCRIPTION_GENERATED", "OOO_CREATED",
  "AFTER_HOSTS_CAL_VIDEO_NO_SHOW", "AFTER_GUESTS_CAL_VIDEO_NO_SHOW", "FORM_SUBMITTED_NO_EVENT",
];

function parseWebhook(body: Record<string, unknown>, existing?: EmuWebhook) {
  const out: Partial<EmuWebhook> = {};
  if (body.subscriberUrl !== undefined || !existing) {
    if (typeof body.subscriberUrl !== "string" || !URL.canParse(body.subscriberUrl)) throw badRequest("subscriberUrl must be a URL");
    out.subscriberUrl = body.subscriberUrl;
  }
  if (body.active !== undefined || !existing) {
    if (typeof body.active !== "boolean") throw badRequest("active must be a boolean value");
    out.active = body.active;
  }
  if (body.triggers !== undefined || !existing) {
    if (!Array.isArray(body.triggers) || body.triggers.length === 0 || body.triggers.some((t) => !TRIGGERS.includes(t as string))) {
      throw badRequest(`triggers must be a non-empty array of: ${TRIGGERS.join(", ")}`);
    }
    out.triggers = [...new Set(body.triggers as string[])];
  }
  if (body.secret !== undefined) {
    if (typeof body.secret !== "string") throw badRequest("secret must be a string");
    out.secret = body.secret === "" ? null : body.secret;
  }
  if (body.payloadTemplate !== undefined) out.payloadTemplate = typeof body.payloadTemplate === "string" ? body.payloadTemplate : null;
  return out;
}

function create(ctx: RequestContext, scope: EmuWebhookScope) {
  const parsed = parseWebhook(ctx.body ?? {});
  const webhook: EmuWebhook = {
    id: ctx.core.state.nextId("webhook"),
    scope,
    subscriberUrl: parsed.subscriberUrl!,
    active: parsed.active!,
    triggers: parsed.triggers!,
    secret: parsed.secret ?? null,
    payloadTemplate: parsed.payloadTemplate ?? null,
  };
  ctx.core.state.webhooks.set(webhook.id, webhook);
  return ok(webhookOut(webhook), 201);
}

const sameScope = (a: EmuWebhookScope, b: EmuWebhookScope) =>
  a.kind === b.kind && (a.kind !== "oauthClient" || a.clientId === (b as typeof a).clientId) && (a.kind !== "user" || a.userId === (b as typeof a).userId);

function list(ctx: RequestContext, scope: EmuWebhookScope) {
  const take = ctx.query.get("take") === null ? 250 : Number(ctx.query.get("take"));
  const skip = ctx.query.get("skip") === null ? 0 : Number(ctx.query.get("skip"));
  const all = [...ctx.core.state.webhooks.values()].filter((w) => sameScope(w.scope, scope));
  return ok(all.slice(skip, skip + take).map(webhookOut));
}

function find(ctx: RequestContext, scope: EmuWebhookScope) {
  const id = parseId(ctx.params.webhookId, "webhookId");
  const webhook = ctx.core.state.webhooks.get(id);
  if (!webhook || !sameScope(webhook.scope, scope)) throw notFound(`Webhook with id=${id} not found`);
  return webhook;
}

const clientScope = (ctx: RequestContext): EmuWebhookScope => ({ kind: "oauthClient", clientId: ctx.params.clientId });
const userScope = (ctx: RequestContext): EmuWebhookScope => ({ kind: "user", userId: requireUser(ctx.principal).id });

function crud(prefix: string, auth: Route["auth"], scopeOf: (ctx: RequestContext) => EmuWebhookScope): Route[] {
  return [
    { method: "POST", template: prefix, auth, handler: (ctx) => create(ctx, scopeOf(ctx)) },
    { method: "GET", template: prefix, auth, handler: (ctx) => list(ctx, scopeOf(ctx)) },
    { method: "GET", template: `${prefix}/{webhookId}`, auth, handler: (ctx) => ok(webhookOut(find(ctx, scopeOf(ctx)))) },
    {
      method: "PATCH",
      template: `${prefix}/{webhookId}`,
      auth,
      handler(ctx) {
        const webhook = find(ctx, scopeOf(ctx));
        Object.assign(webhook, parseWebhook(ctx.body ?? {}, webhook));
        return ok(webhookOut(webhook));
      },
    },
    {
      method: "DELETE",
      template: `${prefix}/{webhookId}`,
      auth,
      handler(ctx) {
        const webhook = find(ctx, scopeOf(ctx));
        ctx.core.state.webhooks.delete(webhook.id);
        return ok(webhookOut(webhook));
      },
    },
  ];
}

export const webhookRoutes: Route[] = [
  ...crud("/v2/oauth-clients/{clientId}/webhooks", "clientPath", clientScope),
  {
    method: "DELETE",
    template: "/v2/oauth-clients/{clientId}/webhooks",
    auth: "clientPath",
    handler(ctx) {
      const scope = clientScope(ctx);
      const doomed = [...ctx.core.state.webhooks.values()].filter((w) => sameScope(w.scope, scope));
      for (const webhook of doomed) ctx.core.state.webhooks.delete(webhook.id);
      return ok(`${doomed.length} webhooks deleted`);
    },
  },
  ...crud("/v2/webhooks", "required", userScope),
];
