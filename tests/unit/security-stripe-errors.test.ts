import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { logDestination } from "@/lib/log";
import { toAppError } from "@/lib/payments/stripe";

describe("Stripe errors reach users only as generic messages", () => {
  it.each([
    ["authentication", new Stripe.errors.StripeAuthenticationError({ message: "Invalid API Key provided: sk_live_abcdef123456", type: "authentication_error" } as never)],
    ["invalid request", new Stripe.errors.StripeInvalidRequestError({ message: "No such checkout.session: cs_live_x; a similar object exists in live mode, but a test mode key (sk_test_zzz) was used", type: "invalid_request_error" } as never)],
    ["card", new Stripe.errors.StripeCardError({ message: "Your card was declined (acct_1Secret).", type: "card_error" } as never)],
    ["unknown", new Error("socket closed by sk_test_abc")],
  ])("%s error: logged (redacted), answered generically", (_label, error) => {
    const lines: string[] = [];
    const original = logDestination.write;
    logDestination.write = (line) => void lines.push(line);
    let message: string;
    try {
      message = toAppError(error, "start the payment").message;
    } finally {
      logDestination.write = original;
    }
    expect(message).not.toMatch(/sk_|acct_|cs_live|API Key|No such|socket/);
    expect(message).toMatch(/start the payment/);
    expect(lines.join("")).toContain("Stripe call failed");
    expect(lines.join("")).not.toMatch(/sk_(live|test)_[a-z0-9]/);
  });
});
