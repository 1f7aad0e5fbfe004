import { describe, expect, it } from "vitest";
import { calcomMode, EnvError, parseEnv } from "./env";

const base = { DATABASE_URL: "postgresql://u:p@localhost:5432/db" };

describe("parseEnv", () => {
  it("accepts a minimal development environment with defaults", () => {
    const env = parseEnv(base);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.CALCOM_API_URL).toBe("https://api.cal.com");
    expect(env.HOLD_MINUTES).toBe(30);
    expect(calcomMode(env)).toEqual({ kind: "none" });
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({})).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ ...base, APP_URL: "not a url" })).toThrow(/APP_URL/);
    expect(() => parseEnv({ ...base, HOLD_MINUTES: "1" })).toThrow(/HOLD_MINUTES/);
    expect(() => parseEnv({ ...base, STRIPE_API_BASE: "nope" })).toThrow(EnvError);
  });

  it("requires both Platform credentials together and prefers Platform over an API key", () => {
    expect(() => parseEnv({ ...base, CALCOM_CLIENT_ID: "id" })).toThrow(/CALCOM_CLIENT_SECRET/);
    expect(calcomMode(parseEnv({ ...base, CALCOM_API_KEY: "cal_123" }))).toEqual({ kind: "apiKey", apiKey: "cal_123" });
    expect(calcomMode(parseEnv({ ...base, CALCOM_API_KEY: "cal_123", CALCOM_CLIENT_ID: "id", CALCOM_CLIENT_SECRET: "s" })).kind).toBe("platform");
  });

  it("accepts smtp:// and smtps:// SMTP_URLs only, and leaves mail off when unset", () => {
    expect(parseEnv(base).SMTP_URL).toBeUndefined();
    expect(parseEnv({ ...base, SMTP_URL: "smtps://u:p@smtp.example.com:465" }).SMTP_URL).toBe("smtps://u:p@smtp.example.com:465");
    expect(parseEnv({ ...base, SMTP_URL: "smtp://127.0.0.1:2525", MAIL_FROM: "Coachbook <b@example.com>" }).MAIL_FROM).toBe("Coachbook <b@example.com>");
    expect(() => parseEnv({ ...base, SMTP_URL: "https://smtp.example.com" })).toThrow(/SMTP_URL/);
  });

  it("treats empty strings as unset and requires an auth secret in production", () => {
    expect(parseEnv({ ...base, STRIPE_SECRET_KEY: "  " }).STRIPE_SECRET_KEY).toBeUndefined();
    expect(() => parseEnv({ ...base, NODE_ENV: "production" })).toThrow(/NEXTAUTH_SECRET/);
  });

  it("requires APP_URL in production, and the coach of an API key", () => {
    const prod = { ...base, NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32), APP_URL: "" };
    expect(() => parseEnv(prod)).toThrow(/APP_URL: required in production/);
    expect(parseEnv({ ...prod, APP_URL: "https://coachbook.example" }).APP_URL).toBe("https://coachbook.example");
    const keyed = { ...prod, APP_URL: "https://coachbook.example", CALCOM_API_KEY: "cal_live_x", CALCOM_WEBHOOK_SECRET: "h" };
    expect(() => parseEnv(keyed)).toThrow(/CALCOM_API_KEY_COACH_EMAIL/);
    expect(parseEnv({ ...keyed, CALCOM_API_KEY_COACH_EMAIL: "coach@example.com" }).CALCOM_API_KEY_COACH_EMAIL).toBe("coach@example.com");
  });

  it("requires webhook secrets next to integration keys in production", () => {
    const prod = { ...base, NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32), APP_URL: "https://coachbook.example" };
    expect(() => parseEnv({ ...prod, STRIPE_SECRET_KEY: "sk_live_x" })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => parseEnv({ ...prod, CALCOM_API_KEY: "cal_live_x" })).toThrow(/CALCOM_WEBHOOK_SECRET/);
    expect(parseEnv({ ...prod, STRIPE_SECRET_KEY: "sk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_x" }).STRIPE_WEBHOOK_SECRET).toBe("whsec_x");
  });
});
