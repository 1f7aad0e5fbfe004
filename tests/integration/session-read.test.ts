import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { useRequestHeaders } from "../support/next-headers-mock";
import { signIn } from "../support/sign-in";
import { GET as me } from "@/app/api/me/route";
import { createAccount } from "@/lib/accounts/service";
import { getSessionUser } from "@/lib/auth/session";
import { revokeSessions } from "@/lib/auth/session-check";
import { db } from "@/lib/db/client";

/**
 * getSessionUser reads next-auth's session cookie itself and checks the account once per request
 * (lib/auth/session.ts): with a real credentials sign-in, every way a session must end ends it at once.
 */
const as = (headers: Record<string, string>) => useRequestHeaders(new Headers(headers));

describe("the session read", () => {
  it("names the signed-in account with its current name, email, zone and role", async () => {
    const account = await createAccount({ role: "STUDENT", name: "Sam Session", email: "sam.session@example.com", password: "long-enough-pw", timeZone: "Europe/Paris" });
    const cookie = await signIn(account.email, "long-enough-pw");
    as({ cookie });
    expect(await getSessionUser()).toEqual({ id: account.id, name: "Sam Session", email: "sam.session@example.com", role: "STUDENT", timeZone: "Europe/Paris" });
    // Changed after the token was issued: the database's values count, not the token's.
    await db.user.update({ where: { id: account.id }, data: { name: "Samira", timeZone: "Asia/Tokyo" } });
    expect(await getSessionUser()).toMatchObject({ name: "Samira", timeZone: "Asia/Tokyo" });
    // Through a route: /api/me answers from the same read.
    const res = await me(new NextRequest("http://localhost/api/me", { headers: { cookie } }), { params: Promise.resolve({}) });
    expect(await res.json()).toEqual({ user: { name: "Samira", role: "STUDENT", timeZone: "Asia/Tokyo" } });
  });

  it("ends at once when the account's sessions are revoked (a role change, sign-out everywhere), without waiting for a recheck", async () => {
    const account = await createAccount({ role: "STUDENT", name: "Rita Revoked", email: "rita.revoked@example.com", password: "long-enough-pw", timeZone: "UTC" });
    const cookie = await signIn(account.email, "long-enough-pw");
    as({ cookie });
    expect(await getSessionUser()).not.toBeNull();
    await revokeSessions(account.id, { role: "COACH" });
    expect(await getSessionUser()).toBeNull();
    // A new sign-in gets the new version (and the new role).
    as({ cookie: await signIn(account.email, "long-enough-pw") });
    expect(await getSessionUser()).toMatchObject({ id: account.id, role: "COACH" });
  });

  it("ends for a disabled or deleted account", async () => {
    const account = await createAccount({ role: "STUDENT", name: "Dora Disabled", email: "dora.disabled@example.com", password: "long-enough-pw", timeZone: "UTC" });
    const cookie = await signIn(account.email, "long-enough-pw");
    as({ cookie });
    await db.user.update({ where: { id: account.id }, data: { disabledAt: new Date() } });
    expect(await getSessionUser()).toBeNull();
    await db.user.update({ where: { id: account.id }, data: { disabledAt: null } });
    expect(await getSessionUser()).not.toBeNull();
    await db.user.delete({ where: { id: account.id } });
    expect(await getSessionUser()).toBeNull();
  });

  it("is null for no cookie, a tampered cookie, or the token sent as a bearer header", async () => {
    const account = await createAccount({ role: "STUDENT", name: "Tim Tamper", email: "tim.tamper@example.com", password: "long-enough-pw", timeZone: "UTC" });
    const cookie = await signIn(account.email, "long-enough-pw");
    const token = cookie.slice(cookie.indexOf("=") + 1);
    as({});
    expect(await getSessionUser()).toBeNull();
    as({ cookie: `next-auth.session-token=${token.slice(0, -4)}${token.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}` });
    expect(await getSessionUser()).toBeNull();
    as({ authorization: `Bearer ${token}` });
    expect(await getSessionUser()).toBeNull();
  });
});
