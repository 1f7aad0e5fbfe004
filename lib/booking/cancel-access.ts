import type { Prisma, Booking } from "@/lib/generated/prisma/client";
import type { Actor, Role } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { LIVE_REFUND_STATUSES } from "@/lib/payments/ledger";

const LIVE_REFUNDS = new Set<string>(LIVE_REFUND_STATUSES);

export type Tx = Prisma.TransactionClient;
export interface Caller {
  id: string;
  role: Role;
}

/**
 * Locks the booking row for the rest of the transaction (so two cancels, or a cancel and a paid webhook, run one
 * after the other) and says who the caller is to it. Anyone who is not its student, its coach or an admin gets the
 * same 404 as for a booking that does not exist.
 */
export async function lockBookingFor(tx: Tx, bookingId: string, caller: Caller): Promise<{ booking: Booking; actor: Actor }> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM bookings WHERE id = ${bookingId} FOR UPDATE`;
  const booking = locked.length ? await tx.booking.findUnique({ where: { id: bookingId }, include: { coach: { select: { userId: true } } } }) : null;
  const notFound = new AppError("NOT_FOUND", "No such booking.");
  if (!booking) throw notFound;
  let actor: Actor;
  if (caller.role === "ADMIN") actor = "ADMIN";
  else if (booking.studentId === caller.id) actor = "STUDENT";
  else if (booking.coach.userId === caller.id) actor = "COACH";
  else throw notFound;
  const { coach: _coach, ...plain } = booking;
  return { booking: plain, actor };
}

export async function lockBooking(tx: Tx, bookingId: string): Promise<Booking | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM bookings WHERE id = ${bookingId} FOR UPDATE`;
  return locked.length ? tx.booking.findUnique({ where: { id: bookingId } }) : null;
}

class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super("dry run");
  }
}

/**
 * Runs `work` in one transaction. With `dryRun`, the very same code runs and its result is returned, then the
 * transaction is rolled back: a dry run answers exactly what the real action would do at that moment, because it
 * is the real action, undone.
 */
export async function inTransaction<T>(dryRun: boolean, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(async (tx) => {
      const result = await work(tx);
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as T;
    throw error;
  }
}

/** Paid minus refunded (or on its way) over the booking's payments: what a refund can still return. */
export async function refundableMinor(tx: Tx, bookingId: string): Promise<number> {
  const payments = await tx.payment.findMany({
    where: { bookingId, status: { in: ["SUCCEEDED", "PARTIALLY_REFUNDED", "REFUNDED"] } },
    include: { refunds: true },
  });
  let left = 0;
  for (const payment of payments) {
    const committed = payment.refunds.filter((r) => LIVE_REFUNDS.has(r.status)).reduce((sum, r) => sum + r.amountMinor, 0);
    left += Math.max(0, payment.amountMinor - committed);
  }
  return left;
}
