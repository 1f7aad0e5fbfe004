import { createHmac, randomBytes } from "node:crypto";

/** HMAC-SHA256 over `${timestamp}.${payload}` keyed with the endpoint secret, hex encoded (Stripe's `v1` scheme). */
export function computeSignature(payload: string, secret: string, timestamp: number): string {
  return createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
}

/** The `Stripe-Signature` header value: `t=<unix seconds>,v1=<hex>` exactly as Stripe sends it. */
export function signatureHeader(payload: string, secret: string, timestamp: number = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${computeSignature(payload, secret, timestamp)}`;
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}
