import { formatMoney } from "@/lib/money";
import type { RefundState } from "@/lib/payments/ledger";

/** The true state of a booking's refunds (derived from the refund rows): what came back, what is on its way, what failed. */
export function RefundLines({ refund, currency }: { refund: { refundedMinor: number; pendingMinor: number; failedMinor: number; state: RefundState }; currency: string }) {
  if (refund.state === "none") return null;
  return (
    <div className="sm:col-span-2" data-testid="refund-status" data-state={refund.state}>
      <dt className="text-slate-500">Refund</dt>
      <dd className="font-medium">
        {refund.refundedMinor > 0 ? <span data-testid="refund-succeeded">{formatMoney(refund.refundedMinor, currency)} refunded. </span> : null}
        {refund.pendingMinor > 0 ? <span data-testid="refund-pending">{formatMoney(refund.pendingMinor, currency)} on its way to you. </span> : null}
        {refund.failedMinor > 0 ? <span className="text-red-700">{formatMoney(refund.failedMinor, currency)} could not be refunded yet; we are looking into it.</span> : null}
      </dd>
    </div>
  );
}
