import { requireUser } from "../auth";
import { type Route, ok, scheduleOut } from "../core";
import { createScheduleFor, ownSchedule, parseAvailability, parseId, parseOverrides, requireString, requireZone } from "./shared";
import { badRequest } from "../http-error";

/** Schedules 2024-06-11 (coach access token or API key). `isDefault` is derived from the user's defaultScheduleId. */
export const scheduleRoutes: Route[] = [
  {
    method: "POST",
    template: "/v2/schedules",
    auth: "required",
    handler(ctx) {
      const user = requireUser(ctx.principal);
      const body = ctx.body ?? {};
      if (typeof body.isDefault !== "boolean") throw badRequest("isDefault must be a boolean value");
      const schedule = createScheduleFor(ctx.core.state, user, {
        name: requireString(body, "name"),
        timeZone: requireZone(body.timeZone),
        isDefault: body.isDefault,
        availability: parseAvailability(body.availability),
        overrides: parseOverrides(body.overrides),
      });
      return ok(scheduleOut(schedule, ctx.core.state), 201);
    },
  },
  {
    method: "GET",
    template: "/v2/schedules",
    auth: "required",
    handler(ctx) {
      const user = requireUser(ctx.principal);
      const schedules = [...ctx.core.state.schedules.values()].filter((s) => s.ownerId === user.id);
      return ok(schedules.map((s) => scheduleOut(s, ctx.core.state)));
    },
  },
  {
    method: "GET",
    template: "/v2/schedules/default",
    auth: "required",
    handler(ctx) {
      const user = requireUser(ctx.principal);
      const schedule = user.defaultScheduleId === null ? undefined : ctx.core.state.schedules.get(user.defaultScheduleId);
      return ok(schedule ? scheduleOut(schedule, ctx.core.state) : null);
    },
  },
  {
    method: "GET",
    template: "/v2/schedules/{scheduleId}",
    auth: "required",
    handler(ctx) {
      const schedule = ownSchedule(ctx.core.state, requireUser(ctx.principal), parseId(ctx.params.scheduleId, "scheduleId"));
      return ok(scheduleOut(schedule, ctx.core.state));
    },
  },
  {
    method: "PATCH",
    template: "/v2/schedules/{scheduleId}",
    auth: "required",
    handler(ctx) {
      const user = requireUser(ctx.principal);
      const schedule = ownSchedule(ctx.core.state, user, parseId(ctx.params.scheduleId, "scheduleId"));
      const body = ctx.body ?? {};
      if (body.name !== undefined) schedule.name = requireString(body, "name");
      if (body.timeZone !== undefined) schedule.timeZone = requireZone(body.timeZone);
      const availability = parseAvailability(body.availability);
      if (availability) schedule.availability = availability;
      const overrides = parseOverrides(body.overrides);
      if (overrides) schedule.overrides = overrides;
      if (body.isDefault === true) user.defaultScheduleId = schedule.id;
      if (body.isDefault === false && user.defaultScheduleId === schedule.id) user.defaultScheduleId = null;
      return ok(scheduleOut(schedule, ctx.core.state));
    },
  },
  {
    method: "DELETE",
    template: "/v2/schedules/{scheduleId}",
    auth: "required",
    handler(ctx) {
      const user = requireUser(ctx.principal);
      const schedule = ownSchedule(ctx.core.state, user, parseId(ctx.params.scheduleId, "scheduleId"));
      ctx.core.state.schedules.delete(schedule.id);
      if (user.defaultScheduleId === schedule.id) user.defaultScheduleId = null;
      for (const type of ctx.core.state.eventTypes.values()) if (type.scheduleId === schedule.id) type.scheduleId = null;
      return { status: 200, body: { status: "success" } };
    },
  },
];
