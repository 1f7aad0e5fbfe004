import { decode as nextAuthDecode, encode as nextAuthEncode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, encodeSessionToken } from "./jwt";

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
