import { describe, expect, it } from "vitest";
import { computeBackoffMs, DEFAULT_RETRY_POLICY, isConnectError, retryDelayMs, serverRetryAfterMs } from "./retry";

const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };

describe("backoff", () => {
  it("grows exponentially within [cap/2, cap] and is capped", () => {
    expect(computeBackoffMs(0, policy, () => 0)).toBe(50);
    expect(computeBackoffMs(0, policy, () => 1)).toBe(100);
    expect(computeBackoffMs(1, policy, () => 0)).toBe(100);
    expect(computeBackoffMs(2, policy, () => 1)).toBe(400);
    expect(computeBackoffMs(10, policy, () => 1)).toBe(1_000);
    expect(computeBackoffMs(10, policy, () => 0)).toBe(500);
    for (let attempt = 0; attempt < 8; attempt++) {
      const value = computeBackoffMs(attempt, policy);
      const cap = Math.min(1_000, 100 * 2 ** attempt);
      expect(value).toBeGreaterThanOrEqual(cap / 2);
      expect(value).toBeLessThanOrEqual(cap);
    }
  });

  it("never waits less than the server asked for", () => {
    expect(retryDelayMs(0, { ...DEFAULT_RETRY_POLICY, ...policy }, 2_000, () => 1)).toBe(2_000);
    expect(retryDelayMs(3, { ...DEFAULT_RETRY_POLICY, ...policy }, 10, () => 1)).toBe(800);
  });
});

describe("serverRetryAfterMs", () => {
  const now = Date.parse("2030-01-01T00:00:00Z");
  it("reads Retry-After seconds and HTTP dates", () => {
    expect(serverRetryAfterMs(new Headers({ "retry-after": "3" }), now)).toBe(3_000);
    expect(serverRetryAfterMs(new Headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(serverRetryAfterMs(new Headers({ "retry-after": "Tue, 01 Jan 2030 00:00:05 GMT" }), now)).toBe(5_000);
  });
  it("falls back to X-RateLimit-Reset-Default (seconds, or absolute epoch)", () => {
    expect(serverRetryAfterMs(new Headers({ "x-ratelimit-reset-default": "2" }), now)).toBe(2_000);
    expect(serverRetryAfterMs(new Headers({ "x-ratelimit-reset-default": String(now / 1000 + 4) }), now)).toBe(4_000);
    expect(serverRetryAfterMs(new Headers({ "x-ratelimit-reset-default": String(now + 1500) }), now)).toBe(1_500);
  });
  it("prefers Retry-After and ignores garbage", () => {
    expect(serverRetryAfterMs(new Headers({ "retry-after": "1", "x-ratelimit-reset-default": "9" }), now)).toBe(1_000);
    expect(serverRetryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(serverRetryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

describe("isConnectError", () => {
  it("recognises refused connections in the fetch cause chain only", () => {
    expect(isConnectError(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }))).toBe(true);
    expect(isConnectError(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }))).toBe(false);
    expect(isConnectError(new Error("x"))).toBe(false);
  });
});
