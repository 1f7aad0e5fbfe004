import { Prisma } from "@/lib/generated/prisma/client";

/** The Postgres SQLSTATE behind a Prisma error, whether Prisma mapped it (P2002) or passed it through the driver adapter. */
export function sqlState(error: unknown): string | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  if (error.code === "P2002") return "23505";
  const meta = error.meta as { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } } | undefined;
  return meta?.driverAdapterError?.cause?.originalCode ?? meta?.driverAdapterError?.cause?.code;
}

/** `bookings_no_overlap` (or any exclusion constraint) rejected the row. */
export const isExclusionViolation = (error: unknown) => sqlState(error) === "23P01";
export const isUniqueViolation = (error: unknown) => sqlState(error) === "23505";
