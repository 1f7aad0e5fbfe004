import { badRequest, HttpError, notFound, unauthorized } from "../http-error";
import { type Route, type RequestContext, ok, userOut } from "../core";
import type { EmuUser } from "../state";
import { checkMetadata, createScheduleFor, optionalNumber, parseId, requireString, requireZone } from "./shared";

/**
 * Platform managed users + OAuth token refresh (CONTRACT.md §2). Emails get `+<clientId>` appended; creating
 * with `timeZone` creates the default schedule (Mon–Fri 09:00–17:00 in that zone). Refresh rotates the refresh
 * token (the old one stops working); force-refresh revokes all refresh tokens of the user and issues a new pair.
 */
export function suffixEmail(email: string, clientId: string) {
  const at = email.lastIndexOf("@");
  if (at < 1) throw badRequest("email must be an email");
  const local = email.slice(0, at);
  return local.endsWith(`+${clientId}`) ? email : `${local}+${clientId}${email.slice(at)}`;
}

function managedUser(ctx: RequestContext): EmuUser {
  const id = parseId(ctx.params.userId, "userId");
  const user = ctx.core.state.users.get(id);
  if (!user || user.oAuthClientId !== ctx.params.clientId) throw notFound(`User with ID=${id} not found`);
  return user;
}

const WEEK_STARTS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function applyProfile(user: EmuUser, body: Record<string, unknown>, ctx: RequestContext) {
  if (body.name !== undefined) user.name = requireString(body, "name");
  if (body.timeZone !== undefined) user.timeZone = requireZone(body.timeZone);
  if (body.timeFormat !== undefined) {
    if (body.timeFormat !== 12 && body.timeFormat !== 24) throw badRequest("timeFormat must be 12 or 24");
    user.timeFormat = body.timeFormat;
  }
  if (body.weekStart !== undefined) {
    if (!WEEK_STARTS.includes(body.weekStart as string)) throw badRequest("weekStart must be a weekday name");
    user.weekStart = body.weekStart as string;
  }
  if (body.locale !== undefined) user.locale = String(body.locale);
  if (body.avatarUrl !== undefined) user.avatarUrl = String(body.avatarUrl);
  if (body.bio !== undefined) user.bio = String(body.bio);
  if (body.metadata !== undefined) user.metadata = checkMetadata(body.metadata);
  if (body.email !== undefined) {
    const email = suffixEmail(requireString(body, "email"), ctx.core.config.clientId);
    const other = ctx.core.state.userByEmail(email);
    if (other && other.id !== user.id) throw new HttpError(409, "User with the provided e-mail already exists.");
    user.email = email;
  }
}

export const managedUserRoutes: Route[] = [
  {
    method: "POST",
    template: "/v2/oauth-clients/{clientId}/users",
    auth: "clientPath",
    handler(ctx) {
      const { state, config } = ctx.core;
      const body = ctx.body ?? {};
      const email = suffixEmail(requireString(body, "email"), config.clientId);
      requireString(body, "name");
      if (state.userByEmail(email)) throw new HttpError(409, "User with the provided e-mail already exists.");
      const user: EmuUser = {
        id: state.nextId("user"),
        email,
        username: email.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""),
        name: null,
        bio: null,
        timeZone: "Europe/London",
        weekStart: "Sunday",
        timeFormat: 12,
        defaultScheduleId: null,
        createdDate: new Date(state.now()).toISOString(),
        oAuthClientId: config.clientId,
      };
      applyProfile(user, { ...body, email: undefined }, ctx);
      state.users.set(user.id, user);
      if (body.timeZone !== undefined) createScheduleFor(state, user, { name: "Default Schedule", timeZone: user.timeZone, isDefault: true });
      return ok({ ...state.issueTokens(user.id), user: userOut(user) }, 201);
    },
  },
  {
    method: "GET",
    template: "/v2/oauth-clients/{clientId}/users",
    auth: "clientPath",
    handler(ctx) {
      const limit = ctx.query.get("limit") === null ? 100 : Number(ctx.query.get("limit"));
      const offset = ctx.query.get("offset") === null ? 0 : Number(ctx.query.get("offset"));
      const emails = ctx.query.getAll("emails").flatMap((v) => v.split(",")).map((e) => e.trim().toLowerCase()).filter(Boolean);
      const users = [...ctx.core.state.users.values()]
        .filter((u) => u.oAuthClientId === ctx.params.clientId)
        .filter((u) => emails.length === 0 || emails.includes(u.email.toLowerCase()));
      return ok(users.slice(offset, offset + limit).map(userOut));
    },
  },
  {
    method: "GET",
    template: "/v2/oauth-clients/{clientId}/users/{userId}",
    auth: "clientPath",
    handler: (ctx) => ok(userOut(managedUser(ctx))),
  },
  {
    method: "PATCH",
    template: "/v2/oauth-clients/{clientId}/users/{userId}",
    auth: "clientPath",
    handler(ctx) {
      const user = managedUser(ctx);
      const body = ctx.body ?? {};
      const defaultScheduleId = optionalNumber(body, "defaultScheduleId");
      if (defaultScheduleId !== undefined) {
        const schedule = ctx.core.state.schedules.get(defaultScheduleId);
        if (!schedule || schedule.ownerId !== user.id) throw badRequest(`Schedule with ID=${defaultScheduleId} does not belong to the user`);
      }
      applyProfile(user, body, ctx);
      if (defaultScheduleId !== undefined) user.defaultScheduleId = defaultScheduleId;
      return ok(userOut(user));
    },
  },
  {
    method: "DELETE",
    template: "/v2/oauth-clients/{clientId}/users/{userId}",
    auth: "clientPath",
    handler(ctx) {
      const user = managedUser(ctx);
      const { state } = ctx.core;
      state.users.delete(user.id);
      for (const [key, token] of state.tokens) if (token.userId === user.id) state.tokens.delete(key);
      return ok(userOut(user));
    },
  },
  {
    method: "POST",
    template: "/v2/oauth-clients/{clientId}/users/{userId}/force-refresh",
    auth: "clientPath",
    handler(ctx) {
      const user = managedUser(ctx);
      ctx.core.state.revokeRefreshTokens(user.id);
      return ok(ctx.core.state.issueTokens(user.id));
    },
  },
  {
    method: "POST",
    template: "/v2/oauth/{clientId}/refresh",
    auth: "clientPath",
    handler(ctx) {
      const { state } = ctx.core;
      const refreshToken = requireString(ctx.body ?? {}, "refreshToken");
      const stored = state.tokens.get(refreshToken);
      if (!stored || stored.kind !== "refresh" || stored.revoked || stored.expiresAt <= state.now()) throw unauthorized("Invalid Refresh Token");
      const user = state.users.get(stored.userId);
      if (!user || user.oAuthClientId !== ctx.params.clientId) throw unauthorized("Invalid Refresh Token");
      stored.revoked = true;
      return ok(state.issueTokens(user.id));
    },
  },
];
