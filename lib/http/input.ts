import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Edge rules for what PostgreSQL cannot store, shared by every route: no NUL character in any string (text
 * columns refuse U+0000) and instants within sane years (PostgreSQL and JavaScript disagree far from today).
 */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2200;

/** Throws a 400 naming the first field (dot path) whose string holds a NUL character. Walks parsed JSON. */
export function assertNoNul(value: unknown, path: string[] = []): void {
  if (typeof value === "string") {
    if (value.includes("\u0000")) {
      const field = path.join(".") || "_";
      throw new AppError("VALIDATION", `${path.length ? `${field}: ` : ""}Text cannot contain a NUL character.`, { fields: { [field]: "Text cannot contain a NUL character." } });
    }
    return;
  }
  if (Array.isArray(value)) value.forEach((item, index) => assertNoNul(item, [...path, String(index)]));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      assertNoNul(key, path);
      assertNoNul(item, [...path, key]);
    }
  }
}

/** An ISO 8601 date-time with offset, between MIN_YEAR and MAX_YEAR. */
export function instantSchema(message: string) {
  return z.iso.datetime({ offset: true, message }).refine((value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= MIN_YEAR && year <= MAX_YEAR;
  }, `Use a date between the years ${MIN_YEAR} and ${MAX_YEAR}.`);
}
