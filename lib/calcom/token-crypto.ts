import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encryption at rest for Cal.com tokens: AES-256-GCM with a key derived by HKDF-SHA256 from a secret string
 * (TOKEN_ENCRYPTION_KEY, or NEXTAUTH_SECRET as a fallback). HKDF is enough because the input is a high-entropy
 * secret, not a password; the `info` label keeps this key separate from any other use of the same secret.
 *
 * Format: `v1.<iv>.<ciphertext>.<tag>` (base64url parts, 12-byte random IV, 16-byte tag). The optional
 * associated data (e.g. the coach id) is authenticated but not stored: decrypting with a different value fails,
 * so a ciphertext copied onto another row is rejected.
 */
const VERSION = "v1";
const INFO = "coachbook/calcom-token-encryption/v1";
const SALT = "coachbook";

export class TokenCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenCryptoError";
  }
}

export interface TokenCipher {
  encrypt(plaintext: string, associatedData?: string): string;
  decrypt(ciphertext: string, associatedData?: string): string;
}

export function deriveTokenKey(secret: string): Buffer {
  if (typeof secret !== "string" || secret.length < 32) {
    throw new TokenCryptoError("Token encryption secret must be at least 32 characters");
  }
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.from(SALT, "utf8"), Buffer.from(INFO, "utf8"), 32));
}

export function createTokenCipher(secret: string): TokenCipher {
  const key = deriveTokenKey(secret);
  return {
    encrypt: (plaintext, associatedData) => encryptWithKey(key, plaintext, associatedData),
    decrypt: (ciphertext, associatedData) => decryptWithKey(key, ciphertext, associatedData),
  };
}

export function encryptToken(secret: string, plaintext: string, associatedData?: string): string {
  return encryptWithKey(deriveTokenKey(secret), plaintext, associatedData);
}

export function decryptToken(secret: string, ciphertext: string, associatedData?: string): string {
  return decryptWithKey(deriveTokenKey(secret), ciphertext, associatedData);
}

function encryptWithKey(key: Buffer, plaintext: string, associatedData?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

function decryptWithKey(key: Buffer, ciphertext: string, associatedData?: string): string {
  const parts = typeof ciphertext === "string" ? ciphertext.split(".") : [];
  if (parts.length !== 4 || parts[0] !== VERSION) throw new TokenCryptoError("Malformed encrypted token");
  const [, ivPart, bodyPart, tagPart] = parts;
  const iv = Buffer.from(ivPart, "base64url");
  const tag = Buffer.from(tagPart, "base64url");
  if (iv.length !== 12 || tag.length !== 16) throw new TokenCryptoError("Malformed encrypted token");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(bodyPart, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new TokenCryptoError("Encrypted token could not be decrypted (wrong key, wrong associated data or tampered)");
  }
}
