import { revalidatePath, revalidateTag, unstable_cache } from "next/cache";
import { keepRequestId } from "@/lib/http/request-context";
import { log } from "@/lib/log";

/**
 * The public coach pages (landing list, coach profile) read their data through Next.js's data cache, tagged so
 * a coach's change can drop it at once.
 *
 * Honest limits (docs/SCALING.md): Next's default cache handler keeps entries per `next start` instance, and
 * revalidateTag only reaches the instance that handled the change. Other instances catch up when the entry's
 * short `revalidate` runs out (PAGE_DATA_REVALIDATE_SECONDS). Slot answers do not depend on this: they are never
 * served from here (they use the database-kept availability_version).
 */
export const PAGE_DATA_REVALIDATE_SECONDS = 30;
export const COACH_LIST_TAG = "coach-list";
export const coachPageTag = (slug: string) => `coach-page:${slug}`;

export function cachedPageData<A extends (string | number)[], R>(name: string, read: (...args: A) => Promise<R>, tags: (...args: A) => string[]) {
  return async (...args: A): Promise<R> => {
    try {
      // keepRequestId: lines written by `read` on a cache miss still carry the page request's id.
      return await keepRequestId(() => unstable_cache(() => read(...args), [name, ...args.map(String)], { tags: tags(...args), revalidate: PAGE_DATA_REVALIDATE_SECONDS })());
    } catch (error) {
      // Outside a Next.js server (a page component called by a test or a script) there is no cache: read through.
      if (error instanceof Error && /incrementalCache missing/.test(error.message)) return read(...args);
      throw error;
    }
  };
}

/**
 * Drops the cached page data and the cached pages of a coach (and the list). Called after the change is committed. Outside a Next.js
 * request (tests, the job runner) there is no page cache to drop, so nothing happens.
 */
export function revalidateCoachPages(slug: string | null | undefined): void {
  try {
    revalidateTag(COACH_LIST_TAG, { expire: 0 });
    if (slug) revalidateTag(coachPageTag(slug), { expire: 0 });
    // The pages themselves are cached whole (ISR, app/page/[page] and app/coaches/[slug]); expiring their paths
    // makes the next visit render them again at once instead of being served the old page while it regenerates.
    revalidatePath("/page/[page]", "page");
    if (slug) revalidatePath(`/coaches/${slug}`);
  } catch (error) {
    log.debug("coach page cache not revalidated (no Next.js request context)", { slug, error: error instanceof Error ? error.message : String(error) });
  }
}

/** Same, for callers that know the coach profile's id (one indexed read for the slug). */
export async function revalidateCoachPagesById(coachId: string): Promise<void> {
  const { db } = await import("@/lib/db/client");
  const coach = await db.coachProfile.findUnique({ where: { id: coachId }, select: { slug: true } });
  revalidateCoachPages(coach?.slug);
}
