import { Prisma } from "@/lib/generated/prisma/client";

/**
 * The Postgres SQLSTATE behind a Prisma error, whether Prisma mapped it (P2002) or passed it through the driver
 * adapter, or of a pg DatabaseError (the hot statements that go straight to the pool, lib/db/client.ts hotQuery).
 */
export function sqlState(error: unknown): string | undefined {
  if (error instanceof Error && "severity" in error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  }
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  if (error.code === "P2002") return "23505";
  const meta = error.meta as { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } } | undefined;
  return meta?.driverAdapterError?.cause?.originalCode ?? meta?.driverAdapterError?.cause?.code;
}

/** `bookings_no_overlap` (or any exclusion constraint) rejected the row. */
export const isExclusionViolation = (error: unknown) => sqlState(error) === "23P01";
export const isUniqueViolation = (error: unknown) => sqlState(error) === "23505";

/**
 * PostgreSQL cannot be reached, or dropped us: the request cannot be served now but may be in a moment (503, not
 * 500). Covers what Prisma 7 (driver adapter) and `pg` (the rate limiter's pool, lib/booking/rules.ts) actually
 * throw, checked against a closed port, a server that hangs up and one that never answers
 * (tests/integration/security-database-down.test.ts):
 * - Prisma: connection codes (P1001 unreachable, P1002/P1008 timed out, P1017 closed, P2024 pool timeout, P2037
 *   too many connections), the driver adapter's connection kinds (a raw query reports them under P2010), and
 *   PrismaClientInitializationError;
 * - socket errors thrown as they are, as pg does (ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT, ...);
 * - PostgreSQL refusing connections: SQLSTATE class 08, 57P01-57P03 (shutting down, starting up), 53300;
 * - pg's own connection errors, which carry no code, only these messages.
 */
const UNREACHABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
const UNREACHABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const UNREACHABLE_SOCKET_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "EPIPE"]);
const UNREACHABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
const PG_CONNECTION_MESSAGES = /^(Connection terminated unexpectedly|Connection terminated due to connection timeout|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)$/;

export function isDatabaseUnreachable(error: unknown): boolean {
  // The error itself only, not its `cause` chain: Prisma and pg throw these unwrapped, while a failed fetch to
  // Cal.com or Stripe is a TypeError("fetch failed") whose cause is the same kind of ECONNREFUSED; that one is
  // an outside service failing, not our database.
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (UNREACHABLE_PRISMA_CODES.has(error.code)) return true;
    const kind = (error.meta as { driverAdapterError?: { cause?: { kind?: string } } } | undefined)?.driverAdapterError?.cause?.kind;
    if (kind && UNREACHABLE_ADAPTER_KINDS.has(kind)) return true;
    return refusesConnections(sqlState(error));
  }
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // Socket errors count only with the system call that failed (read, write, connect, getaddrinfo), as libuv reports
  // them for pg's socket. Node's HTTP server fails a request body the client abandoned with Error("aborted"), code
  // ECONNRESET but no syscall: that is the client leaving, not the database (lib/http/body.ts).
  if (typeof code === "string" && UNREACHABLE_SOCKET_CODES.has(code)) return typeof (error as { syscall?: unknown }).syscall === "string";
  // A pg DatabaseError carries the SQLSTATE as `code` (and a severity): sqlState reads it.
  const state = sqlState(error);
  if (state !== undefined) return refusesConnections(state);
  return PG_CONNECTION_MESSAGES.test(error.message);
}

const refusesConnections = (state: string | undefined) => state !== undefined && (state.startsWith("08") || UNREACHABLE_SQLSTATES.has(state));
