import { describe, expect, it } from "vitest";
import { createAccount, verifyCredentials } from "@/lib/accounts/service";
import { signUpSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

const base = { name: "Ada Coach", email: "Ada@Example.com", password: "correct horse", timeZone: "Europe/Berlin" };

describe("accounts", () => {
  it("creates a coach with a profile and normalises the email", async () => {
    const input = signUpSchema.parse({ ...base, role: "COACH" });
    const account = await createAccount(input);
    expect(account.email).toBe("ada@example.com");
    const profile = await db.coachProfile.findUnique({ where: { userId: account.id } });
    expect(profile?.timeZone).toBe("Europe/Berlin");
    expect(profile?.slug).toBe("ada-coach");
  });

  it("rejects a duplicate email with a clear conflict and writes nothing", async () => {
    const input = signUpSchema.parse({ ...base, email: "dup@example.com", role: "COACH" });
    await createAccount(input);
    const before = await db.coachProfile.count();
    const error = await createAccount({ ...input, email: "DUP@example.com".toLowerCase() }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("EMAIL_TAKEN");
    expect(error.status).toBe(409);
    expect(await db.coachProfile.count()).toBe(before);
    expect(await db.user.count({ where: { email: "dup@example.com" } })).toBe(1);
  });

  it("gives two coaches with the same name, signing up at once, their own slugs", async () => {
    const [a, b] = await Promise.all([
      createAccount(signUpSchema.parse({ ...base, name: "Same Name", email: "same1@example.com", role: "COACH" })),
      createAccount(signUpSchema.parse({ ...base, name: "Same Name", email: "same2@example.com", role: "COACH" })),
    ]);
    const slugs = await db.coachProfile.findMany({ where: { userId: { in: [a.id, b.id] } }, select: { slug: true } });
    expect(new Set(slugs.map((s) => s.slug)).size).toBe(2);
    expect(slugs.map((s) => s.slug).every((slug) => slug.startsWith("same-name"))).toBe(true);
  });

  it("verifies passwords and never stores them in clear", async () => {
    const input = signUpSchema.parse({ ...base, email: "stu@example.com", role: "STUDENT" });
    await createAccount(input);
    const stored = await db.user.findUniqueOrThrow({ where: { email: "stu@example.com" } });
    expect(stored.passwordHash).not.toContain("correct horse");
    expect(await verifyCredentials("STU@example.com", "correct horse")).toMatchObject({ role: "STUDENT" });
    expect(await verifyCredentials("stu@example.com", "wrong password")).toBeNull();
    expect(await verifyCredentials("nobody@example.com", "correct horse")).toBeNull();
  });

  it("validates sign-up input with field messages", () => {
    const result = signUpSchema.safeParse({ role: "ADMIN", name: "A", email: "nope", password: "short", timeZone: "Mars/Base" });
    expect(result.success).toBe(false);
    const fields = new Set(result.error!.issues.map((issue) => issue.path[0]));
    expect([...fields].sort()).toEqual(["email", "name", "password", "role", "timeZone"]);
  });
});
