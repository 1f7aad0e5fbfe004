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
