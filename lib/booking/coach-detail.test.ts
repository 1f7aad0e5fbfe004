import { describe, expect, it } from "vitest";
import { paymentState } from "./coach-detail";

describe("paymentState", () => {
  const paid = { status: "SUCCEEDED" as const, amountMinor: 2500, amountRefundedMinor: 0 };
  it("paid, partly refunded and refunded from the amounts", () => {
    expect(paymentState([paid]).state).toBe("PAID");
    expect(paymentState([{ ...paid, status: "PARTIALLY_REFUNDED", amountRefundedMinor: 1250 }])).toEqual({ state: "PARTLY_REFUNDED", paidMinor: 2500, refundedMinor: 1250 });
    expect(paymentState([{ ...paid, status: "REFUNDED", amountRefundedMinor: 2500 }]).state).toBe("REFUNDED");
  });
  it("awaiting, failed and none when nothing was paid", () => {
    expect(paymentState([{ ...paid, status: "PENDING" }]).state).toBe("AWAITING_PAYMENT");
    expect(paymentState([{ ...paid, status: "FAILED" }]).state).toBe("FAILED");
    expect(paymentState([]).state).toBe("NONE");
  });
});
