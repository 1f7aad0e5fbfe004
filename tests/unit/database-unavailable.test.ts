import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { isDatabaseUnreachable } from "@/lib/db/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { DATABASE_DOWN_RETRY_AFTER_SECONDS, errorResponse } from "@/lib/http/route";
import { logDestination } from "@/lib/log";

/** The shapes below are what Prisma 7 and pg really threw against a closed port / a hang-up / a silent server. */
const known = (code: string, meta?: Record<string, unknown>) => new Prisma.PrismaClientKnownRequestError("driver error", { code, clientVersion: "7", meta });
const adapter = (cause: Record<string, unknown>) => ({ driverAdapterError: { name: "DriverAdapterError", cause } });
const withCode = (message: string, code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

const UNREACHABLE: [string, unknown][] = [
  ["Prisma P1001 (can't reach)", known("P1001", adapter({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 }))],
  ["Prisma P1002 (timed out)", known("P1002")],
  ["Prisma P1008 (socket timeout)", known("P1008", adapter({ kind: "SocketTimeout" }))],
  ["Prisma P1017 (server closed the connection)", known("P1017", adapter({ kind: "ConnectionClosed" }))],
  ["Prisma P2024 (pool timeout)", known("P2024")],
  ["Prisma P2037 (too many connections)", known("P2037", adapter({ kind: "TooManyConnections", cause: "sorry" }))],
  ["a raw query (P2010) that could not reach the server", known("P2010", adapter({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 }))],
  ["Prisma passing through 57P01 (admin shutdown)", known("P2010", adapter({ kind: "postgres", originalCode: "57P01" }))],
  ["Prisma passing through 08006 (connection failure)", known("P2010", adapter({ kind: "postgres", originalCode: "08006" }))],
  ["PrismaClientInitializationError", new Prisma.PrismaClientInitializationError("Can't reach database server", "7", "P1001")],
  ["pg ECONNREFUSED", withCode("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED", { syscall: "connect", errno: -111 })],
  ["pg ECONNRESET", withCode("read ECONNRESET", "ECONNRESET", { syscall: "read", errno: -104 })],
  ["pg ENOTFOUND", withCode("getaddrinfo ENOTFOUND db", "ENOTFOUND", { syscall: "getaddrinfo", errno: -3008, hostname: "db" })],
  ["pg: the server hung up", new Error("Connection terminated unexpectedly")],
  ["pg: the server never answered", new Error("Connection terminated due to connection timeout")],
  ["pg-pool: no connection within the timeout", new Error("timeout exceeded when trying to connect")],
  ["pg DatabaseError 57P03 (starting up)", withCode("the database system is starting up", "57P03", { severity: "FATAL" })],
  ["pg DatabaseError 53300 (too many clients)", withCode("sorry, too many clients already", "53300", { severity: "FATAL" })],
];

const NOT_UNREACHABLE: [string, unknown][] = [
  ["a unique violation (P2002)", known("P2002")],
  ["a record not found (P2025)", known("P2025")],
  ["an input error passed through (22P02)", known("P2010", adapter({ kind: "postgres", originalCode: "22P02" }))],
  ["a pg DatabaseError 23505", withCode("duplicate key", "23505", { severity: "ERROR" })],
  ["a plain Error", new Error("boom")],
  ["a failed fetch to an outside service (its cause is ECONNREFUSED)", new TypeError("fetch failed", { cause: withCode("connect ECONNREFUSED 127.0.0.1:9", "ECONNREFUSED") })],
  ["an AppError", new AppError("CONFLICT", "taken")],
  // Node's HTTP server, when a client closes mid-body (node:_http_server abortIncoming): the client left.
  ["a request body the client abandoned (aborted, ECONNRESET, no syscall)", withCode("aborted", "ECONNRESET")],
  ["a string", "Connection terminated unexpectedly"],
  ["undefined", undefined],
];

function captureLogs<T>(run: () => T): { result: T; lines: Record<string, unknown>[] } {
  const lines: string[] = [];
  const original = logDestination.write;
  logDestination.write = (line) => void lines.push(line);
  try {
    return { result: run(), lines: lines.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l)) };
  } finally {
    logDestination.write = original;
  }
}

describe("isDatabaseUnreachable", () => {
  it.each(UNREACHABLE)("%s: unreachable", (_label, error) => expect(isDatabaseUnreachable(error)).toBe(true));
  it.each(NOT_UNREACHABLE)("%s: not unreachable", (_label, error) => expect(isDatabaseUnreachable(error)).toBe(false));
});

describe("errorResponse when the database is unreachable", () => {
  it.each(UNREACHABLE)("%s: 503, Retry-After, the JSON error shape, one error line with the cause", async (_label, error) => {
    const { result: response, lines } = captureLogs(() => errorResponse(error, new Request("http://localhost/api/accounts", { method: "POST" })));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe(String(DATABASE_DOWN_RETRY_AFTER_SECONDS));
    expect(await response.json()).toEqual({
      error: { code: "SERVICE_UNAVAILABLE", message: expect.stringMatching(/try again/i), details: { retryAfterSeconds: DATABASE_DOWN_RETRY_AFTER_SECONDS } },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", message: "database unreachable", path: "/api/accounts" });
    expect(JSON.stringify(lines[0].error)).toMatch(/stack/);
  });

  it("a deadlock or serialization failure PostgreSQL resolved by aborting this request is a 409 to try again, not a 500", async () => {
    for (const code of ["40P01", "40001"]) {
      const response = errorResponse(withCode("deadlock detected", code, { severity: "ERROR" }));
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({ error: { code: "CONFLICT", message: expect.stringMatching(/try again/) } });
    }
  });

  it("anything else unexpected stays a 500 without Retry-After", async () => {
    const { result: response } = captureLogs(() => errorResponse(new Error("boom")));
    expect(response.status).toBe(500);
    expect(response.headers.get("retry-after")).toBeNull();
    expect((await response.json()).error.code).toBe("INTERNAL");
  });

  it("Retry-After comes from any AppError that says when to come back (429 and 503 alike), and only then", () => {
    const retryAfter = (error: AppError) => captureLogs(() => errorResponse(error)).result.headers.get("retry-after");
    expect(retryAfter(new AppError("RATE_LIMITED", "slow down", { retryAfterSeconds: 4 }))).toBe("4");
    expect(retryAfter(new AppError("RETRY_LATER", "later", { retryAfterSeconds: 2.2 }))).toBe("3");
    expect(retryAfter(new AppError("RETRY_LATER", "later"))).toBeNull();
    expect(retryAfter(new AppError("CONFLICT", "taken"))).toBeNull();
  });

  it("an AppError of 5xx is logged once as a warning with its message (not clobbering the line's own message)", () => {
    const { lines } = captureLogs(() => errorResponse(new AppError("RETRY_LATER", "not recorded yet"), new Request("http://localhost/api/webhooks/stripe")));
    expect(lines).toEqual([expect.objectContaining({ level: "warn", message: "request failed", code: "RETRY_LATER", reason: "not recorded yet", path: "/api/webhooks/stripe" })]);
  });
});
