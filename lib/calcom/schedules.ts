import { z } from "zod";
import { type CalcomContext, enc, type Scope } from "./context";
import type { components } from "./openapi";
import { type CalcomSchedule, scheduleSchema } from "./schemas";

/** Schedules (coach access token; cal-api-version 2024-06-11). Times are "HH:MM" in the schedule's timeZone. */
export type CreateScheduleInput = components["schemas"]["CreateScheduleInput_2024_06_11"];
export type UpdateScheduleInput = components["schemas"]["UpdateScheduleInput_2024_06_11"];
export type ScheduleAvailability = components["schemas"]["ScheduleAvailabilityInput_2024_06_11"];
export type ScheduleOverride = components["schemas"]["ScheduleOverrideInput_2024_06_11"];

export function schedulesApi(ctx: CalcomContext, scope: Scope) {
  return {
    /** POST /v2/schedules (availability defaults to Mon–Fri 09:00–17:00). */
    create(input: CreateScheduleInput): Promise<CalcomSchedule> {
      return ctx.send(scope, { method: "POST", path: "/v2/schedules", template: "/v2/schedules", body: input, data: scheduleSchema });
    },
    /** GET /v2/schedules */
    list(): Promise<CalcomSchedule[]> {
      return ctx.send(scope, { method: "GET", path: "/v2/schedules", template: "/v2/schedules", data: z.array(scheduleSchema) });
    },
    /** GET /v2/schedules/{scheduleId} */
    async get(scheduleId: number): Promise<CalcomSchedule> {
      return ctx.send(scope, { method: "GET", path: `/v2/schedules/${enc(String(scheduleId))}`, template: "/v2/schedules/{scheduleId}", data: scheduleSchema });
    },
    /** GET /v2/schedules/default: null when the user has none (managed user created without timeZone). */
    getDefault(): Promise<CalcomSchedule | null> {
      return ctx.send(scope, { method: "GET", path: "/v2/schedules/default", template: "/v2/schedules/default", data: scheduleSchema.nullable() });
    },
    /** PATCH /v2/schedules/{scheduleId} (all fields optional; availability/overrides replace the old lists). */
    update(scheduleId: number, patch: UpdateScheduleInput): Promise<CalcomSchedule> {
      return ctx.send(scope, { method: "PATCH", path: `/v2/schedules/${enc(String(scheduleId))}`, template: "/v2/schedules/{scheduleId}", body: patch, data: scheduleSchema });
    },
    /** DELETE /v2/schedules/{scheduleId} */
    async delete(scheduleId: number): Promise<void> {
      await ctx.send(scope, { method: "DELETE", path: `/v2/schedules/${enc(String(scheduleId))}`, template: "/v2/schedules/{scheduleId}", data: z.unknown() });
    },
  };
}

export type SchedulesApi = ReturnType<typeof schedulesApi>;
