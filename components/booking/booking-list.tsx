import Link from "next/link";
import { EmptyState } from "@/components/ui";
import type { BookingListItem } from "@/lib/booking/queries";
import { formatMoney } from "@/lib/money";
import { formatInZone, formatTimeInZone } from "@/lib/time/format";
import { StatusBadge } from "./status-badge";

export function BookingList({ items, timeZone, empty, hrefBase, actions }: { items: BookingListItem[]; timeZone: string; empty: string; hrefBase?: string; actions?: Record<string, React.ReactNode> }) {
  if (items.length === 0) return <EmptyState title={empty} />;
  return (
    <ul className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="booking-list">
      {items.map((b) => {
        const body = (
          <div className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
            <div>
              <p className="font-medium text-slate-900">
                {b.title} <span className="font-normal text-slate-500">with {b.counterpart}</span>
              </p>
              <p className="text-sm text-slate-600" data-testid="booking-time">
                {formatInZone(b.startsAt, timeZone)} – {formatTimeInZone(b.endsAt, timeZone)}
              </p>
            </div>
            <div className="flex items-center gap-3">
              <span className="text-sm text-slate-700">{formatMoney(b.priceMinor, b.currency)}</span>
              <StatusBadge status={b.status} />
            </div>
          </div>
        );
        return (
          <li key={b.id} data-booking-id={b.id}>
            {hrefBase ? <Link href={`${hrefBase}/${b.id}`} className="block hover:bg-slate-50">{body}</Link> : body}
            {actions?.[b.id] ? <div className="px-5 pb-4">{actions[b.id]}</div> : null}
          </li>
        );
      })}
    </ul>
  );
}
