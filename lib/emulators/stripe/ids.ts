import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Random bytes drawn from a 4 KB pool: a randomBytes() call per id (several per Checkout Session) was 2.3% of the
// benchmark process's CPU (bench/holds.ts under --cpu-prof), and that process shares the cores with the server it
// measures. Ids only need to be unique and unguessable in a test emulator; the pool is still crypto-random.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

function poolBytes(length: number): Buffer {
  if (used + length > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, length));
    used = 0;
  }
  const out = pool.subarray(used, used + length);
  used += length;
  return out;
}

export function randomToken(length: number): string {
  const bytes = poolBytes(length);
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
