/** Currency facts the emulator needs (https://docs.stripe.com/currencies). Amounts are integers in minor units. */

const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** Minimum charge amounts in minor units for the currencies the docs list; others are not checked. */
const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50, eur: 50, gbp: 30, chf: 50, cad: 50, aud: 50, nzd: 50, sgd: 50, brl: 50, inr: 50,
  jpy: 50, dkk: 250, nok: 300, sek: 300, pln: 200, czk: 1500, huf: 17500, mxn: 1000, hkd: 400,
  ron: 200, bgn: 100, aed: 200, thb: 1000, myr: 200,
};

/** Stripe's upper bound for most currencies: eight digits in minor units. */
export const MAX_AMOUNT = 99_999_999;

let knownCurrencies: Set<string> | undefined;

export function isKnownCurrency(code: string): boolean {
  if (!/^[a-z]{3}$/.test(code)) return false;
  knownCurrencies ??= new Set(Intl.supportedValuesOf("currency").map((c) => c.toLowerCase()));
  return knownCurrencies.has(code);
}

export function currencyDigits(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

export function minimumChargeAmount(currency: string): number | undefined {
  return MINIMUM_CHARGE[currency];
}

/** 4500 eur → "€45.00"; 5000 jpy → "¥5,000". */
export function formatAmount(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}
