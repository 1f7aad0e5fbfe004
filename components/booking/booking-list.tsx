import Link from "next/link";
import { EmptyState } from "@/components/ui";
import type { BookingListItem } from "@/lib/booking/queries";
import { formatMoney } from "@/lib/money";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";
import { StatusBadge } from "./status-badge";

/**
 * Bookings as rows. The title links to the booking; a live hold also offers "Continue to payment" (its Checkout
 * URL) when `resumePayment` is set (the student's list), as a separate link: links cannot nest.
 */
export function BookingList({ items, timeZone, empty, hrefBase, resumePayment = false }: { items: BookingListItem[]; timeZone: string; empty: string; hrefBase?: string; resumePayment?: boolean }) {
  if (items.length === 0) return <EmptyState title={empty} />;
  const now = Date.now();
  return (
    <ul className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="booking-list">
      {items.map((b) => {
        const live = resumePayment && b.status === "PENDING_PAYMENT" && b.checkoutUrl && b.holdExpiresAt && b.holdExpiresAt.getTime() > now;
        const title = (
          <>
            {b.title} <span className="font-normal text-slate-600">with {b.counterpart}</span>
          </>
        );
        return (
          <li key={b.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-4 sm:px-5">
            <div className="min-w-0">
              <p className="font-medium text-slate-900">
                {hrefBase ? <Link href={`${hrefBase}/${b.id}`} className="hover:underline" data-testid="booking-link">{title}</Link> : title}
              </p>
              <p className="text-sm text-slate-600" data-testid="booking-time">
                {formatInZone(b.startsAt, timeZone)} – {formatTimeInZone(b.endsAt, timeZone)}
              </p>
            </div>
            <div className="flex flex-wrap items-center gap-3">
              <span className="text-sm text-slate-700">{formatMoney(b.priceMinor, b.currency)}</span>
              <StatusBadge status={b.status} />
              {live ? (
                <a href={b.checkoutUrl!} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700" data-testid="list-resume-payment">
                  Continue to payment
                </a>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
