import hkdf from "@panva/hkdf";
import { EncryptJWT, jwtDecrypt } from "jose";
import { LRUCache } from "lru-cache";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

/**
 * next-auth's session token encoding, byte for byte the same format (A256GCM JWE, key derived from the secret by
 * HKDF with next-auth's info string), with the derived key kept instead of derived again on every call.
 *
 * next-auth derives the key on each encode and decode, and an API request does both (getServerSession decodes
 * the cookie and re-encodes it to slide its expiry): two HKDF runs per request, about 4% of create-booking's CPU
 * in a profile (bench/profile.ts). Same library (jose), same parameters as next-auth 4.24's jwt/index.js, so
 * tokens issued before this change stay valid, and tokens issued now are read by next-auth's own decode.
 */
const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;
const keys = new Map<string, Promise<Uint8Array>>();

const keyId = (secret: string | Buffer, salt: string) => `${salt}\u0000${secret.toString()}`;

function derivedKey(secret: string | Buffer, salt: string): Promise<Uint8Array> {
  const id = keyId(secret, salt);
  let key = keys.get(id);
  if (!key) {
    key = hkdf("sha256", secret, salt, `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`, 32);
    // A handful of secrets at most (current and rotated); never grows with requests.
    if (keys.size > 8) keys.clear();
    keys.set(id, key);
  }
  return key;
}

export async function encodeSessionToken({ token = {}, secret, maxAge = DEFAULT_MAX_AGE, salt = "" }: JWTEncodeParams): Promise<string> {
  const now = (Date.now() / 1000) | 0;
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(now + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(await derivedKey(secret, salt));
}

/**
 * Tokens already decrypted by this process, so a signed-in user's every request does not run the JWE decryption
 * again (AES-GCM and jose's checks: about 2% of create-booking's main-thread CPU, bench/profile.ts). Decryption is a
 * pure function of the token and the key, so a kept answer is exactly what decrypting again would give, with one
 * exception re-checked on every hit: expiry (the same 15 s tolerance as jwtDecrypt). Only tokens that decrypted
 * are kept (a forged one is never cached), each with the key it decrypted under (a rotated secret or another salt
 * decrypts again), and only next-auth's shape (no "nbf"). Revocation is not the token's business: getSessionUser
 * reads the account on every request (lib/auth/session.ts). Bounded by bytes, per process (nothing shared needed).
 */
const CLOCK_TOLERANCE_SECONDS = 15;
const MAX_CACHED_TOKEN_CHARS = 8192;
const decoded = new LRUCache<string, { keyId: string; payload: JWT }>({ maxSize: 4 * 1024 * 1024, sizeCalculation: (_v, token) => token.length + 256 });

const expired = (payload: JWT) => typeof payload.exp === "number" && payload.exp <= Date.now() / 1000 - CLOCK_TOLERANCE_SECONDS;

export async function decodeSessionToken({ token, secret, salt = "" }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const id = keyId(secret, salt);
  const kept = decoded.get(token);
  // A copy: callers (next-auth's callbacks) may change the object they get.
  if (kept && kept.keyId === id && !expired(kept.payload)) return { ...kept.payload };
  const { payload } = await jwtDecrypt(token, await derivedKey(secret, salt), { clockTolerance: CLOCK_TOLERANCE_SECONDS });
  if (token.length <= MAX_CACHED_TOKEN_CHARS && payload.nbf === undefined) decoded.set(token, { keyId: id, payload: { ...(payload as JWT) } });
  return payload as JWT;
}
