import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signCalcomPayload, verifyCalcomSignature } from "./webhooks";

const secret = "whsec-test-secret";
const body = JSON.stringify({ triggerEvent: "BOOKING_CREATED", createdAt: "2030-01-01T00:00:00.000Z", payload: { uid: "abc" } });
const good = createHmac("sha256", secret).update(body).digest("hex");

describe("verifyCalcomSignature", () => {
  it("accepts the lowercase hex HMAC-SHA256 of the exact raw body", () => {
    expect(signCalcomPayload(body, secret)).toBe(good);
    expect(verifyCalcomSignature(body, good, secret)).toBe(true);
    expect(verifyCalcomSignature(Buffer.from(body), good, secret)).toBe(true);
    expect(verifyCalcomSignature(body, good.toUpperCase(), secret)).toBe(true);
  });

  it("rejects a body that differs by one byte (re-serialised JSON included)", () => {
    expect(verifyCalcomSignature(body + " ", good, secret)).toBe(false);
    expect(verifyCalcomSignature(JSON.stringify(JSON.parse(body), null, 2), good, secret)).toBe(false);
  });

  it("rejects missing, empty, unsigned and malformed headers", () => {
    expect(verifyCalcomSignature(body, undefined, secret)).toBe(false);
    expect(verifyCalcomSignature(body, null, secret)).toBe(false);
    expect(verifyCalcomSignature(body, "", secret)).toBe(false);
    expect(verifyCalcomSignature(body, "no-secret-provided", secret)).toBe(false);
    expect(verifyCalcomSignature(body, `sha256=${good}`, secret)).toBe(false);
    expect(verifyCalcomSignature(body, good.slice(0, 62), secret)).toBe(false);
    expect(verifyCalcomSignature(body, "z".repeat(64), secret)).toBe(false);
  });

  it("rejects a wrong or empty secret", () => {
    expect(verifyCalcomSignature(body, good, "other-secret")).toBe(false);
    expect(verifyCalcomSignature(body, good, "")).toBe(false);
    expect(verifyCalcomSignature(body, good, undefined)).toBe(false);
  });
});
