import Link from "next/link";
import { BookingActions } from "@/components/booking/booking-actions";
import { PageHeader } from "@/components/ui";
import type { Booking } from "@/lib/generated/prisma/client";
import type { bookingActionData } from "@/lib/booking/policy-view";
import { formatInZone } from "@/lib/time/format";

/**
 * The parts of a booking's page that its student and its coach both see, laid out once: the frame, the facts
 * list, where it was moved to or from and Cancel / Reschedule. Each page adds its own facts.
 */

type Viewer = "STUDENT" | "COACH";
type ActionData = Awaited<ReturnType<typeof bookingActionData>>;

/** Where each viewer's booking pages live (the "moved" links, and where a move lands). */
const BOOKINGS_HREF: Record<Viewer, string> = { STUDENT: "/student/bookings", COACH: "/coach/bookings" };

const linkClass = "font-medium text-brand-700 hover:underline";

export function BookingDetailFrame({ title, withName, badge, viewer, children }: { title: string; withName: string; badge: React.ReactNode; viewer: Viewer; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title={title} description={`with ${withName}`} action={badge} />
      {children}
      <p className="mt-6 text-sm"><Link href={BOOKINGS_HREF[viewer]} className={linkClass}>← All {viewer === "STUDENT" ? "my bookings" : "bookings"}</Link></p>
    </div>
  );
}

export function Facts({ children }: { children: React.ReactNode }) {
  return <dl className="grid gap-4 text-sm sm:grid-cols-2">{children}</dl>;
}

type FactProps = {
  label: string;
  children: React.ReactNode;
  /** Across both columns (longer texts). */
  wide?: boolean;
  /** The value in normal weight (free text such as a note), not bold like a figure. */
  plain?: boolean;
  className?: string;
  testId?: string;
  /** data-state on the value, for a state that tests and styles read without parsing the words. */
  state?: string;
};

export function Fact({ label, children, wide, plain, className = "", testId, state }: FactProps) {
  return (
    <div className={wide ? "sm:col-span-2" : undefined}>
      <dt className="text-slate-600">{label}</dt>
      <dd className={`${plain ? "" : "font-medium"} ${className}`.trim() || undefined} data-testid={testId} data-state={state}>{children}</dd>
    </div>
  );
}

/** Where the booking was moved to or from (a reschedule makes a new booking), for either viewer. */
export function MovedFacts({ data, viewer, timeZone }: { data: ActionData; viewer: Viewer; timeZone: string }) {
  return (
    <>
      {data.movedToId ? (
        <Fact label="Moved" wide plain>
          <Link href={`${BOOKINGS_HREF[viewer]}/${data.movedToId}`} className={linkClass} data-testid="moved-to">See the new booking →</Link>
        </Fact>
      ) : null}
      {data.movedFrom ? <Fact label="Moved from" wide plain testId="moved-from">{formatInZone(data.movedFrom.startsAt, timeZone)}</Fact> : null}
    </>
  );
}

type ActionBooking = Pick<Booking, "id" | "status" | "coachId" | "offeringId" | "startsAt">;

/** Cancel and Reschedule for this booking in the viewer's words, from what bookingActionData found. */
export function BookingActionsFor({ booking, data, viewer, timeZone, compact }: { booking: ActionBooking; data: ActionData; viewer: Viewer; timeZone: string; compact?: boolean }) {
  return (
    <BookingActions
      bookingId={booking.id}
      status={booking.status}
      viewer={viewer}
      coachId={booking.coachId}
      offeringId={booking.offeringId}
      offerings={data.offerings}
      policyLines={data.policyLines}
      rescheduleBlocked={data.rescheduleBlocked}
      timeZone={timeZone}
      startsAt={booking.startsAt.toISOString()}
      bookingHrefBase={BOOKINGS_HREF[viewer]}
      compact={compact}
    />
  );
}
