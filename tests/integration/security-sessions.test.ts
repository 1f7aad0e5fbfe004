import { describe, expect, it } from "vitest";
import { jsonRequest, noParams, actAs } from "../support/session";
import { POST as signUp } from "@/app/api/accounts/route";
import { createAccount, verifyCredentials } from "@/lib/accounts/service";
import { MAX_PASSWORD_BYTES, signUpSchema } from "@/lib/accounts/schemas";
import { authOptions } from "@/lib/auth/options";
import { SESSION_RECHECK_MS, revokeSessions } from "@/lib/auth/session-check";
import { db } from "@/lib/db/client";

const jwt = (args: Record<string, unknown>) => authOptions().callbacks!.jwt!(args as never) as Promise<Record<string, unknown>>;
const session = (token: Record<string, unknown>) => authOptions().callbacks!.session!({ session: { expires: "" }, token } as never) as unknown as Promise<{ user?: { id: string; role: string } }>;

describe("sessions follow the account: role changes and disabling take effect within seconds", () => {
  it("rechecks the account at most every SESSION_RECHECK_MS; a revoked session loses its user", async () => {
    const account = await createAccount({ role: "STUDENT", name: "Session Person", email: "session@example.com", password: "long-enough-pw", timeZone: "UTC" });
    const verified = (await verifyCredentials(account.email, "long-enough-pw"))!;
    const token = await jwt({ token: { email: account.email }, user: verified });
    expect(token).toMatchObject({ uid: account.id, role: "STUDENT", sv: 0 });
    expect((await session(token)).user).toMatchObject({ id: account.id, role: "STUDENT" });

    // A role changed in the database (no revocation) is picked up at the next recheck.
    await db.user.update({ where: { id: account.id }, data: { role: "COACH" } });
    expect((await jwt({ token })).role).toBe("STUDENT"); // checked moments ago: no database read
    const stale = { ...token, checkedAt: Date.now() - SESSION_RECHECK_MS - 1 };
    expect((await jwt({ token: stale })).role).toBe("COACH");

    // Revocation (role change or disabling) bumps the version: the old session ends.
    await revokeSessions(account.id, { role: "STUDENT" });
    const revoked = await jwt({ token: { ...stale, checkedAt: 0 } });
    expect(revoked.uid).toBeUndefined();
    expect((await session(revoked)).user).toBeUndefined();
  });

  it("a disabled account can neither sign in nor keep its session", async () => {
    const account = await createAccount({ role: "COACH", name: "Disabled Coach", email: "disabled@example.com", password: "long-enough-pw", timeZone: "UTC" });
    const verified = (await verifyCredentials(account.email, "long-enough-pw"))!;
    const token = await jwt({ token: {}, user: verified });
    await db.user.update({ where: { id: account.id }, data: { disabledAt: new Date() } }); // even without a version bump
    expect((await jwt({ token: { ...token, checkedAt: 0 } })).uid).toBeUndefined();
    expect(await verifyCredentials(account.email, "long-enough-pw")).toBeNull();
  });
});

describe("passwords are limited to bcrypt's 72 bytes", () => {
  const base = { role: "STUDENT", name: "Byte Counter", email: "bytes@example.com", timeZone: "UTC" };
  it("accepts 72 bytes, refuses 73 (counted in UTF-8) with a clear message", async () => {
    expect(signUpSchema.safeParse({ ...base, password: "a".repeat(MAX_PASSWORD_BYTES) }).success).toBe(true);
    const ascii = signUpSchema.safeParse({ ...base, password: "a".repeat(MAX_PASSWORD_BYTES + 1) });
    expect(ascii.success).toBe(false);
    // 37 "é" are 37 characters but 74 bytes.
    actAs(null);
    const response = await signUp(jsonRequest("/api/accounts", { ...base, password: "é".repeat(37) }), noParams);
    expect(response.status).toBe(400);
    expect((await response.json()).error.details.fields.password).toMatch(/72 bytes/);
  });

  it("so two passwords sharing their first 72 bytes can no longer both be set", async () => {
    const prefix = "p".repeat(72);
    expect(signUpSchema.safeParse({ ...base, password: `${prefix}-one` }).success).toBe(false);
  });
});

describe("request ids", () => {
  it("every API answer carries X-Request-Id; a sane caller id is kept, a hostile one replaced", async () => {
    actAs(null);
    const kept = await signUp(jsonRequest("/api/accounts", {}, { headers: { "content-type": "application/json", "x-request-id": "proxy-id-12345678" } }), noParams);
    expect(kept.headers.get("x-request-id")).toBe("proxy-id-12345678");
    const replaced = await signUp(jsonRequest("/api/accounts", {}, { headers: { "content-type": "application/json", "x-request-id": "bad id <script>" } }), noParams);
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("log lines written while handling a request carry its id", async () => {
    const { createCoach } = await import("../support/fixtures");
    const { PATCH } = await import("@/app/api/coach/offerings/[id]/route");
    const { logDestination } = await import("@/lib/log");
    const { user } = await createCoach();
    actAs({ id: user.id, name: user.name, email: user.email, role: "COACH", timeZone: "UTC" });
    const lines: string[] = [];
    const original = logDestination.write;
    const level = process.env.COACHBOOK_LOG;
    delete process.env.COACHBOOK_LOG;
    logDestination.write = (line) => void lines.push(line);
    try {
      // A NUL in a path parameter: PostgreSQL refuses it (22021), the wrapper logs a warning and answers 400.
      const response = await PATCH(jsonRequest("/api/coach/offerings/x", { title: "Fine title" }, { method: "PATCH" }), { params: Promise.resolve({ id: "x\u0000y" }) });
      expect(response.status).toBe(400);
      const id = response.headers.get("x-request-id");
      const line = lines.map((l) => JSON.parse(l)).find((l) => l.message === "database refused the input");
      expect(line).toMatchObject({ level: "warn", requestId: id, sqlState: "22021", path: "/api/coach/offerings/x" });
      expect(line.error.stack).toBeTruthy();
      const access = lines.map((l) => JSON.parse(l)).find((l) => l.message === "request");
      expect(access).toMatchObject({ level: "info", requestId: id, method: "PATCH", status: 400, ms: expect.any(Number) });
    } finally {
      logDestination.write = original;
      if (level === undefined) delete process.env.COACHBOOK_LOG;
      else process.env.COACHBOOK_LOG = level;
    }
  });
});
