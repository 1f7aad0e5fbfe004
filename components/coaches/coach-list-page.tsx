import Link from "next/link";
import { EmptyState } from "@/components/ui";
import { listCoaches } from "@/lib/coaches/queries";
import { formatMoney } from "@/lib/money";

/** Page 1 is "/", later pages "/page/N" (path segments, not ?page=, so every list page can be served from the page cache). */
export const coachListPath = (page: number) => (page <= 1 ? "/" : `/page/${page}`);

/** The landing page's coach list, one page of it (app/page.tsx and app/page/[page]/page.tsx). */
export async function CoachListPage({ page }: { page: number }) {
  const { coaches, hasNextPage } = await listCoaches(page);
  return (
    <div>
      <section className="mb-10">
        <h1 className="text-3xl font-semibold tracking-tight text-slate-900">Find a coach and book a session</h1>
        <p className="mt-2 max-w-2xl text-slate-600">
          Pick a coach, choose a session and a time that suits you — shown in your own time zone — and pay securely.
        </p>
      </section>
      <h2 className="mb-4 text-lg font-semibold text-slate-800">Coaches</h2>
      {coaches.length === 0 ? (
        <EmptyState title={page > 1 ? "No more coaches" : "No coaches yet"}>Coaches appear here as soon as they sign up and add an offering.</EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2" data-testid="coach-list">
          {coaches.map((coach) => (
            <li key={coach.id}>
              <Link
                href={`/coaches/${coach.slug}`}
                className="block h-full rounded-xl border border-slate-200 bg-white p-5 shadow-sm transition hover:border-brand-500 hover:shadow"
              >
                <p className="font-semibold text-slate-900">{coach.name}</p>
                {coach.headline ? <p className="mt-1 text-sm text-slate-600">{coach.headline}</p> : null}
                <p className="mt-3 text-xs text-slate-600">
                  {coach.timeZone} · {coach.offeringCount} {coach.offeringCount === 1 ? "offering" : "offerings"}
                  {coach.fromPrices.length > 0 ? ` · from ${coach.fromPrices.map((p) => formatMoney(p.priceMinor, p.currency)).join(" or ")}` : ""}
                </p>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {page > 1 || hasNextPage ? (
        <nav aria-label="Coach list pages" className="mt-6 flex justify-between text-sm">
          {page > 1 ? (
            <Link href={coachListPath(page - 1)} className="text-brand-700 hover:underline">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          {hasNextPage ? (
            <Link href={coachListPath(page + 1)} className="text-brand-700 hover:underline">
              Next →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
