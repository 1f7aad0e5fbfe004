import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, EmptyState } from "@/components/ui";
import { getCoachBySlug } from "@/lib/coaches/queries";
import { isPlausibleId, pageParam } from "@/lib/http/pages";
import { bookingPickerPath } from "@/lib/booking/picker-path";
import { formatMoney } from "@/lib/money";

// Rendered on a slug's first visit, then served from Next's page cache: regenerated in the background at most every
// 30 s (PAGE_DATA_REVALIDATE_SECONDS; segment config must be a literal) and dropped at once when the coach changes
// (the data's tags, lib/coaches/page-cache.ts). No session or request data is read here (see app/layout.tsx).
export const revalidate = 30;
export const generateStaticParams = async (): Promise<{ slug: string }[]> => [];

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const slug = (await params).slug;
  const coach = isPlausibleId(slug) ? await getCoachBySlug(slug) : null;
  return { title: coach ? coach.name : "Coach not found" };
}

export default async function CoachPage({ params }: Props) {
  const coach = await getCoachBySlug(pageParam((await params).slug));
  if (!coach) notFound();
  return (
    <div className="grid gap-8 md:grid-cols-[1fr_2fr]">
      <Card>
        <h1 className="text-2xl font-semibold text-slate-900">{coach.name}</h1>
        {coach.headline ? <p className="mt-1 text-slate-700">{coach.headline}</p> : null}
        <p className="mt-4 whitespace-pre-line text-sm leading-6 text-slate-600">{coach.bio || "This coach has not written a bio yet."}</p>
        <p className="mt-4 text-xs text-slate-600">
          Coach&apos;s time zone: <span data-testid="coach-timezone">{coach.timeZone}</span>
        </p>
      </Card>
      <section>
        <h2 className="mb-4 text-lg font-semibold text-slate-800">Sessions</h2>
        {coach.offerings.length === 0 ? (
          <EmptyState title="No sessions on offer right now">Check back soon.</EmptyState>
        ) : (
          <ul className="space-y-3" data-testid="offering-list" data-coach-id={coach.id}>
            {coach.offerings.map((offering) => (
              <li key={offering.id} className="flex flex-wrap items-center justify-between gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <div>
                  <p className="font-medium text-slate-900">{offering.title}</p>
                  <p className="text-sm text-slate-600">
                    {offering.durationMinutes} min · <span data-testid="offering-price">{formatMoney(offering.priceMinor, offering.currency)}</span>
                  </p>
                  {offering.description ? <p className="mt-1 text-sm text-slate-600">{offering.description}</p> : null}
                </div>
                <Link
                  href={bookingPickerPath(coach.slug, offering.id)}
                  aria-label={`Book ${offering.title}`}
                  className="shrink-0 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
                >
                  Book
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
