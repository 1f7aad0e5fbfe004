import { notFound } from "next/navigation";
import { CoachListPage } from "@/components/coaches/coach-list-page";

/**
 * The landing page ("/" is rewritten here as page 1, next.config.ts) and the coach list's later pages. A dynamic
 * segment rather than app/page.tsx so that nothing is prerendered at build time (the build has no database): each
 * page is rendered on its first visit, then served from Next's page cache, regenerated in the background at most
 * every 30 s (PAGE_DATA_REVALIDATE_SECONDS; segment config must be a literal) and dropped at once when a coach
 * changes (the data's tags, lib/coaches/page-cache.ts). No session or request data is read (see app/layout.tsx).
 */
export const revalidate = 30;
export const generateStaticParams = async (): Promise<{ page: string }[]> => [];

type Props = { params: Promise<{ page: string }> };

export default async function CoachListPageRoute({ params }: Props) {
  const raw = (await params).page;
  const page = /^[1-9][0-9]{0,4}$/.test(raw) ? Number(raw) : NaN;
  // One address per page ("/page/02" is not one) keeps the cache small.
  if (!Number.isInteger(page) || page > 10_000) notFound();
  return <CoachListPage page={page} />;
}
