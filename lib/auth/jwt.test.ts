import { decode as nextAuthDecode, encode as nextAuthEncode } from "next-auth/jwt";
import * as jose from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decodeSessionToken, encodeSessionToken } from "./jwt";

vi.mock("jose", async (importOriginal) => {
  const actual = await importOriginal<typeof import("jose")>();
  return { ...actual, jwtDecrypt: vi.fn(actual.jwtDecrypt) };
});

const secret = "a-test-secret-a-test-secret-a-test-secret";

describe("session tokens with a kept derived key", () => {
  it("reads next-auth's tokens and next-auth reads ours (sessions survive the change)", async () => {
    const claims = { uid: "u1", role: "STUDENT" as const, sv: 3, name: "Sam" };
    const theirs = await nextAuthEncode({ token: claims, secret });
    expect(await decodeSessionToken({ token: theirs, secret })).toMatchObject(claims);
    const ours = await encodeSessionToken({ token: claims, secret });
    expect(await nextAuthDecode({ token: ours, secret })).toMatchObject(claims);
    // Salted tokens (next-auth uses the cookie name as salt in some paths) derive another key.
    const salted = await nextAuthEncode({ token: claims, secret, salt: "x" });
    expect(await decodeSessionToken({ token: salted, secret, salt: "x" })).toMatchObject(claims);
    await expect(decodeSessionToken({ token: salted, secret })).rejects.toThrow();
  });

  it("refuses a token made with another secret, a tampered one and an expired one", async () => {
    const other = await encodeSessionToken({ token: { uid: "u1" }, secret: "another-secret-another-secret-another" });
    await expect(decodeSessionToken({ token: other, secret })).rejects.toThrow();
    const token = await encodeSessionToken({ token: { uid: "u1" }, secret });
    const tampered = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    await expect(decodeSessionToken({ token: tampered, secret })).rejects.toThrow();
    const expired = await encodeSessionToken({ token: { uid: "u1" }, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow(/exp/);
    expect(await decodeSessionToken({ token: undefined, secret })).toBeNull();
  });
});

describe("decrypted tokens kept per process", () => {
  beforeEach(() => {
    vi.mocked(jose.jwtDecrypt).mockClear();
  });
  afterEach(() => vi.useRealTimers());

  it("decrypts a token once, and a caller changing its copy changes nothing", async () => {
    const token = await encodeSessionToken({ token: { uid: "kept-1", sv: 1 }, secret });
    const first = await decodeSessionToken({ token, secret });
    first!.uid = "someone-else";
    const second = await decodeSessionToken({ token, secret });
    expect(second).toMatchObject({ uid: "kept-1", sv: 1 });
    expect(vi.mocked(jose.jwtDecrypt)).toHaveBeenCalledTimes(1);
  });

  it("still refuses the kept token under another secret or salt", async () => {
    const token = await encodeSessionToken({ token: { uid: "kept-2" }, secret });
    await decodeSessionToken({ token, secret });
    await expect(decodeSessionToken({ token, secret: "another-secret-another-secret-another" })).rejects.toThrow();
    await expect(decodeSessionToken({ token, secret, salt: "x" })).rejects.toThrow();
  });

  it("refuses a kept token once it expires (with jwtDecrypt's 15 s tolerance)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-30T12:00:00Z"));
    const token = await encodeSessionToken({ token: { uid: "kept-3" }, secret, maxAge: 60 });
    expect(await decodeSessionToken({ token, secret })).toMatchObject({ uid: "kept-3" });
    vi.setSystemTime(new Date("2026-11-30T12:01:10Z")); // 10 s past exp: inside the tolerance
    expect(await decodeSessionToken({ token, secret })).toMatchObject({ uid: "kept-3" });
    expect(vi.mocked(jose.jwtDecrypt)).toHaveBeenCalledTimes(1);
    vi.setSystemTime(new Date("2026-11-30T12:01:16Z")); // 16 s past exp
    await expect(decodeSessionToken({ token, secret })).rejects.toThrow(/exp/);
  });
});
