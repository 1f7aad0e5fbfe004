/** Money is always integer minor units plus an ISO 4217 currency; these helpers only format and convert. */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function formatMoney(amountMinor: number, currency: string, locale = "en-US"): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(amountMinor / 10 ** exponent);
}

/** Parses a decimal amount typed by a person ("49.90") into minor units without floating-point drift. */
export function toMinorUnits(amount: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const match = /^\s*(\d{1,9})(?:[.,](\d+))?\s*$/.exec(amount);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) return null;
  return Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || "0");
}

export const SUPPORTED_CURRENCIES = ["usd", "eur", "gbp", "chf", "cad", "aud", "jpy", "inr", "sek"] as const;
