import type { BookingStatus } from "@/lib/generated/prisma/enums";

const LABELS: Record<BookingStatus, { text: string; className: string }> = {
  PENDING_PAYMENT: { text: "Awaiting payment", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  CONFIRMED: { text: "Confirmed", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  CANCELLED: { text: "Cancelled", className: "bg-slate-100 text-slate-700 ring-slate-200" },
  EXPIRED: { text: "Hold expired", className: "bg-slate-100 text-slate-600 ring-slate-200" },
  PAYMENT_FAILED: { text: "Payment failed", className: "bg-red-50 text-red-700 ring-red-200" },
  AWAITING_FUNDS: { text: "Payment on its way", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  RESCHEDULED: { text: "Rescheduled", className: "bg-slate-100 text-slate-700 ring-slate-200" },
};

export function StatusBadge({ status }: { status: BookingStatus }) {
  const label = LABELS[status];
  return (
    <span data-testid="booking-status" data-status={status} className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${label.className}`}>
      {label.text}
    </span>
  );
}
