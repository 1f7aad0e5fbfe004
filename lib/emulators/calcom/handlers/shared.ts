import { isValidZone } from "../availability";
import { badRequest, forbidden, notFound } from "../http-error";
import type { EmulatorState, EmuSchedule, EmuUser, Weekday } from "../state";
import { WEEKDAYS } from "../state";

/** Input checks shared by handlers (the server's class-validator messages, paraphrased). */
export function requireString(body: Record<string, unknown>, key: string): string {
  const value = body?.[key];
  if (typeof value !== "string" || value.trim() === "") throw badRequest(`${key} must be a non-empty string`);
  return value;
}

export function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const value = body?.[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw badRequest(`${key} must be a number`);
  return value;
}

export function requireZone(zone: unknown, key = "timeZone"): string {
  if (typeof zone !== "string" || !isValidZone(zone)) throw badRequest(`${key} must be a valid IANA time zone`);
  return zone;
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
export function requireTime(value: unknown, key: string): string {
  if (typeof value !== "string" || !HH_MM.test(value)) throw badRequest(`${key} must be in HH:MM 24-hour format`);
  return value;
}

export function requireIsoInstant(value: unknown, key: string): number {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw badRequest(`${key} must be an ISO 8601 date-time in UTC`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${key} must be an ISO 8601 date-time in UTC`);
  return ms;
}

/** metadata: ≤ 50 keys, key ≤ 40 chars, string values ≤ 500 chars. */
export function checkMetadata(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!value || typeof value !== "object" || Array.isArray(value)) throw badRequest("metadata must be an object");
  const entries = Object.entries(value);
  if (entries.length > 50) throw badRequest("metadata can have at most 50 keys");
  for (const [key, item] of entries) {
    if (key.length > 40) throw badRequest(`metadata key "${key.slice(0, 40)}…" is longer than 40 characters`);
    if (typeof item === "string" && item.length > 500) throw badRequest(`metadata value of "${key}" is longer than 500 characters`);
  }
  return { ...(value as Record<string, unknown>) };
}

export function parseId(raw: string | undefined, what: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw badRequest(`${what} must be a positive integer`);
  return id;
}

export const DEFAULT_AVAILABILITY = [{ days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] as Weekday[], startTime: "09:00", endTime: "17:00" }];

export function parseAvailability(value: unknown) {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw badRequest("availability must be an array");
  return value.map((item, i) => {
    const days = item?.days;
    if (!Array.isArray(days) || days.some((d: unknown) => !WEEKDAYS.includes(d as Weekday))) throw badRequest(`availability.${i}.days must be weekday names`);
    const startTime = requireTime(item.startTime, `availability.${i}.startTime`);
    const endTime = requireTime(item.endTime, `availability.${i}.endTime`);
    return { days: [...days] as Weekday[], startTime, endTime };
  });
}

export function parseOverrides(value: unknown) {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw badRequest("overrides must be an array");
  return value.map((item, i) => {
    if (typeof item?.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(item.date)) throw badRequest(`overrides.${i}.date must be YYYY-MM-DD`);
    return { date: item.date as string, startTime: requireTime(item.startTime, `overrides.${i}.startTime`), endTime: requireTime(item.endTime, `overrides.${i}.endTime`) };
  });
}

export function createScheduleFor(state: EmulatorState, owner: EmuUser, input: { name: string; timeZone: string; isDefault: boolean; availability?: EmuSchedule["availability"]; overrides?: EmuSchedule["overrides"] }) {
  const schedule: EmuSchedule = {
    id: state.nextId("schedule"),
    ownerId: owner.id,
    name: input.name,
    timeZone: input.timeZone,
    availability: input.availability ?? DEFAULT_AVAILABILITY.map((a) => ({ ...a, days: [...a.days] })),
    overrides: input.overrides ?? [],
  };
  state.schedules.set(schedule.id, schedule);
  if (input.isDefault) owner.defaultScheduleId = schedule.id;
  return schedule;
}

export function ownSchedule(state: EmulatorState, user: EmuUser, id: number) {
  const schedule = state.schedules.get(id);
  if (!schedule) throw notFound(`Schedule with ID=${id} does not exist.`);
  if (schedule.ownerId !== user.id) throw forbidden(`User with ID=${user.id} does not own schedule with ID=${id}`);
  return schedule;
}
