import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

/**
 * Dynamic pages answer unknown or foreign records with the not-found page and HTTP 404 (never a 500): ids that
 * cannot be ours (NUL characters, absurd lengths) stop here before any query, and the domain's NOT_FOUND becomes
 * notFound().
 */
export function isPlausibleId(value: string | undefined | null): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 200 && !/[\u0000-\u001f]/.test(value);
}

export function pageParam(value: string | undefined): string {
  if (!isPlausibleId(value)) notFound();
  return value;
}

export async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
