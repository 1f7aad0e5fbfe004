import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

/** Stripe-style ids: `pi_3Q…` (24 chars after the prefix); checkout sessions are longer (`cs_test_a1…`). */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomToken(length)}`;
}

export const ID_PREFIXES = {
  checkoutSession: "cs_test",
  paymentIntent: "pi",
  charge: "ch",
  refund: "re",
  customer: "cus",
  paymentMethod: "pm",
  event: "evt",
  request: "req",
  lineItem: "li",
  price: "price",
  product: "prod",
  balanceTransaction: "txn",
} as const;
