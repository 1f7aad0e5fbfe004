import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/ui";
import { getSessionUser } from "@/lib/auth/session";
import { listLiveHolds } from "@/lib/booking/live-holds";
import { getCoachBySlug } from "@/lib/coaches/queries";
import { formatMoney } from "@/lib/money";
import { isValidTimeZone, supportedTimeZones } from "@/lib/time/zones";
import { SlotPicker } from "./slot-picker";

// Per request: it reads the session, and pages outside proxy.ts's cached public ones carry a per-request CSP nonce.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Book a session" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ offering?: string; start?: string; tz?: string }> };

/**
 * The slot picker, open to visitors: they see the free times first and sign in (or sign up) only at
 * "Continue to payment", coming back here with the chosen slot (`start`) and zone (`tz`) in the URL.
 */
export default async function BookPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { offering: offeringId, start, tz } = await searchParams;
  const [coach, user] = await Promise.all([getCoachBySlug(slug), getSessionUser().catch(() => null)]);
  const offering = coach?.offerings.find((o) => o.id === offeringId);
  if (!coach || !offering) {
    return (
      <div>
        <PageHeader title="Book a session" />
        <EmptyState title="This session is not available">
          It may have been withdrawn by the coach. <Link href={coach ? `/coaches/${coach.slug}` : "/"} className="font-medium text-brand-700 hover:underline">Choose another session</Link>.
        </EmptyState>
      </div>
    );
  }
  const holds = user?.role === "STUDENT" ? await listLiveHolds(user.id, offering.id) : [];
  return (
    <div>
      <PageHeader title={`${offering.title} with ${coach.name}`} description={`${offering.durationMinutes} minutes · ${formatMoney(offering.priceMinor, offering.currency)}`} />
      <SlotPicker
        coachId={coach.id}
        offeringId={offering.id}
        coachSlug={coach.slug}
        title={offering.title}
        coachName={coach.name}
        durationMinutes={offering.durationMinutes}
        priceLabel={formatMoney(offering.priceMinor, offering.currency)}
        viewer={user ? { role: user.role, timeZone: user.timeZone } : null}
        requestedZone={tz && isValidTimeZone(tz) ? tz : null}
        requestedStart={start ?? null}
        timeZones={supportedTimeZones()}
        liveHolds={holds.map((h) => ({ id: h.id, start: h.startsAt.toISOString(), end: h.endsAt.toISOString(), checkoutUrl: h.checkoutUrl! }))}
      />
    </div>
  );
}
