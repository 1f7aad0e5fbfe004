import { describe, expect, it } from "vitest";
import { actAs, jsonRequest, noParams } from "../support/session";
import { POST } from "@/app/api/accounts/route";
import { db } from "@/lib/db/client";

const valid = { role: "STUDENT", name: "Route Tester", email: "route@example.com", password: "long-enough-pw", timeZone: "Asia/Kolkata" };

describe("POST /api/accounts", () => {
  it("creates an account and answers 201 without the password hash", async () => {
    actAs(null);
    const response = await POST(jsonRequest("/api/accounts", valid), noParams);
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.account).toMatchObject({ email: "route@example.com", role: "STUDENT", timeZone: "Asia/Kolkata" });
    expect(JSON.stringify(body)).not.toContain("password");
  });

  it("answers 400 with field messages for bad input and writes nothing", async () => {
    actAs(null);
    const before = await db.user.count();
    const response = await POST(jsonRequest("/api/accounts", { ...valid, email: "x", timeZone: "Nowhere/City" }), noParams);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("VALIDATION");
    expect(Object.keys(body.error.details.fields).sort()).toEqual(["email", "timeZone"]);
    expect(await db.user.count()).toBe(before);
  });

  it("answers 400 for malformed JSON and 415 for the wrong content type", async () => {
    actAs(null);
    expect((await POST(jsonRequest("/api/accounts", "{not json"), noParams)).status).toBe(400);
    const wrongType = await POST(jsonRequest("/api/accounts", "a=b", { headers: { "content-type": "application/x-www-form-urlencoded" } }), noParams);
    expect(wrongType.status).toBe(415);
    expect((await wrongType.json()).error.message).toMatch(/application\/json/);
  });

  it("answers 409 for a duplicate email in any letter case", async () => {
    actAs(null);
    await POST(jsonRequest("/api/accounts", { ...valid, email: "twice@example.com" }), noParams);
    const response = await POST(jsonRequest("/api/accounts", { ...valid, email: "TWICE@example.com" }), noParams);
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatchObject({ code: "EMAIL_TAKEN", details: { fields: { email: expect.stringContaining("already exists") } } });
  });

  it("refuses to create an account from a signed-in session", async () => {
    actAs({ id: "u1", name: "Someone", email: "s@example.com", role: "STUDENT", timeZone: "UTC" });
    const response = await POST(jsonRequest("/api/accounts", { ...valid, email: "other@example.com" }), noParams);
    expect(response.status).toBe(409);
    actAs(null);
  });
});

describe("cross-site and content-type protection of write routes", () => {
  it("refuses a POST whose Origin is another site, and accepts our own origin", async () => {
    actAs(null);
    const foreign = await POST(jsonRequest("/api/accounts", { ...valid, email: "csrf@example.com" }, { headers: { "content-type": "application/json", origin: "https://evil.example" } }), noParams);
    expect(foreign.status).toBe(403);
    expect(await db.user.count({ where: { email: "csrf@example.com" } })).toBe(0);
    const own = await POST(jsonRequest("/api/accounts", { ...valid, email: "csrf@example.com" }, { headers: { "content-type": "application/json", origin: "http://localhost" } }), noParams);
    expect(own.status).toBe(201);
  });

  it("requires exactly application/json for a body", async () => {
    actAs(null);
    const sneaky = await POST(jsonRequest("/api/accounts", { ...valid, email: "plain@example.com" }, { headers: { "content-type": "text/plain;application/json" } }), noParams);
    expect(sneaky.status).toBe(415);
    const withCharset = await POST(jsonRequest("/api/accounts", { ...valid, email: "charset@example.com" }, { headers: { "content-type": "application/json; charset=utf-8" } }), noParams);
    expect(withCharset.status).toBe(201);
  });
});
