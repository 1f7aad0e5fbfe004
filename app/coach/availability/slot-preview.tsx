import Link from "next/link";
import type { SlotPreview as SlotPreviewData } from "@/lib/coaches/availability-service";
import { dateKeyInZone, formatInZone, formatTimeInZone } from "@/lib/time/format";

const MAX_PER_DAY = 8;

/** "Next free slots" from the local engine, in the coach's availability zone (server component). */
export function SlotPreview({ preview }: { preview: SlotPreviewData }) {
  const days = new Map<string, { label: string; times: string[] }>();
  for (const slot of preview.slots) {
    const key = dateKeyInZone(slot.start, preview.timeZone);
    const day = days.get(key) ?? { label: formatInZone(slot.start, preview.timeZone, { hour: undefined, minute: undefined, year: undefined }), times: [] };
    day.times.push(formatTimeInZone(slot.start, preview.timeZone));
    days.set(key, day);
  }
  return (
    <section aria-labelledby="preview-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="slot-preview">
      <h2 id="preview-heading" className="text-base font-semibold text-slate-900">
        Next free slots
      </h2>
      {preview.offering ? (
        <p className="mt-1 text-sm text-slate-600">
          {preview.offering.title} ({preview.offering.durationMinutes} min), next 7 days, in {preview.timeZone.replaceAll("_", " ")}.
        </p>
      ) : null}
      <div className="mt-4">
        {!preview.offering ? (
          <p className="text-sm text-slate-600">
            Add an active offering to see the slots students can book.{" "}
            <Link href="/coach/offerings" className="font-medium text-brand-600 hover:underline">
              Manage offerings
            </Link>
          </p>
        ) : days.size === 0 ? (
          <p className="text-sm text-slate-600" data-testid="preview-empty">
            No free slots in the next 7 days. Check your weekly hours, overrides and minimum notice.
          </p>
        ) : (
          <ul className="space-y-3">
            {[...days].map(([key, day]) => (
              <li key={key}>
                <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{day.label}</p>
                <div className="mt-1 flex flex-wrap gap-1.5">
                  {day.times.slice(0, MAX_PER_DAY).map((time) => (
                    <span key={time} className="rounded-md bg-brand-50 px-2 py-0.5 text-xs font-medium tabular-nums text-brand-700">
                      {time}
                    </span>
                  ))}
                  {day.times.length > MAX_PER_DAY ? <span className="px-1 py-0.5 text-xs text-slate-600">+{day.times.length - MAX_PER_DAY} more</span> : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
