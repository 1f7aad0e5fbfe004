import { describe, expect, it } from "vitest";
import { redact } from "./log";

describe("redact", () => {
  it("masks credentials wherever they appear", () => {
    const text = redact('key sk_test_abc123 hook whsec_zzz cal cal_live_abcdef auth "Bearer eyJhbGciOi.eyJzdWIi.sig" {"password":"hunter2","accessToken":"t0k"}');
    expect(text).not.toMatch(/abc123|whsec_zzz|cal_live_abcdef|hunter2|t0k|eyJhbGciOi/);
    expect(text).toContain("[redacted]");
  });
  it("leaves ordinary text alone", () => {
    expect(redact("booking cb_123 confirmed for calendar")).toBe("booking cb_123 confirmed for calendar");
  });
});

describe("log (pino)", () => {
  it("writes JSON lines with the request id, the error's stack and cause, and secrets masked", async () => {
    const { log, logDestination } = await import("./log");
    const { withRequestContext } = await import("@/lib/http/request-context");
    const lines: string[] = [];
    const original = logDestination.write;
    logDestination.write = (line) => void lines.push(line);
    try {
      const error = new Error("Stripe said sk_test_secret123 is invalid", { cause: new Error("socket hang up") });
      await withRequestContext({ requestId: "req-12345678" }, async () => log.error("payment failed", { error, password: "hunter2", nested: { token: "t0k" } }));
      log.info("outside a request");
    } finally {
      logDestination.write = original;
    }
    const [inside, outside] = lines.map((line) => JSON.parse(line));
    expect(inside).toMatchObject({ level: "error", message: "payment failed", requestId: "req-12345678", password: "[redacted]", nested: { token: "[redacted]" } });
    expect(inside.error.stack).toMatch(/^Error: .*\n\s+at /);
    expect(inside.error.message).toContain("[redacted]");
    expect(inside.error.message).not.toContain("sk_test_secret123");
    expect(JSON.stringify(inside.error)).toContain("socket hang up");
    expect(outside.requestId).toBeUndefined();
    expect(lines.join("")).not.toMatch(/hunter2|t0k|sk_test_secret123/);
  });
});
