import { describe, expect, it } from "vitest";
import { createTokenCipher, decryptToken, deriveTokenKey, encryptToken, TokenCryptoError } from "./token-crypto";

const secret = "a-very-long-test-secret-of-at-least-32-chars";
const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.c2lnbmF0dXJl";

describe("token-crypto (AES-256-GCM, HKDF key)", () => {
  it("round-trips and never contains the plaintext", () => {
    const encrypted = encryptToken(secret, token);
    expect(encrypted.startsWith("v1.")).toBe(true);
    expect(encrypted).not.toContain(token);
    expect(decryptToken(secret, encrypted)).toBe(token);
  });

  it("uses a fresh IV each time", () => {
    const cipher = createTokenCipher(secret);
    expect(cipher.encrypt(token)).not.toBe(cipher.encrypt(token));
  });

  it("fails closed on a wrong key, tampering or wrong associated data", () => {
    const encrypted = encryptToken(secret, token, "coach:1");
    expect(decryptToken(secret, encrypted, "coach:1")).toBe(token);
    expect(() => decryptToken(secret, encrypted, "coach:2")).toThrow(TokenCryptoError);
    expect(() => decryptToken(secret, encrypted)).toThrow(TokenCryptoError);
    expect(() => decryptToken(`${secret}-other`, encrypted, "coach:1")).toThrow(TokenCryptoError);
    const parts = encrypted.split(".");
    const body = Buffer.from(parts[2], "base64url");
    body[0] ^= 1;
    parts[2] = body.toString("base64url");
    expect(() => decryptToken(secret, parts.join("."), "coach:1")).toThrow(TokenCryptoError);
    expect(() => decryptToken(secret, "garbage", "coach:1")).toThrow(TokenCryptoError);
  });

  it("derives a stable 32-byte key and refuses short secrets", () => {
    expect(deriveTokenKey(secret)).toHaveLength(32);
    expect(deriveTokenKey(secret).equals(deriveTokenKey(secret))).toBe(true);
    expect(() => deriveTokenKey("short")).toThrow(TokenCryptoError);
  });

  it("error messages never include the token or the secret", () => {
    const error = (() => {
      try {
        decryptToken(secret, encryptToken(secret, token).replace(/.$/, "A"));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(String(error?.message)).not.toContain(token);
    expect(String(error?.message)).not.toContain(secret);
  });
});
