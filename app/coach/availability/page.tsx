import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { CalcomSyncPanel } from "@/app/coach/availability/calcom-sync-panel";
import { requirePageUser } from "@/lib/auth/session";
import { getAvailability, previewSlots } from "@/lib/coaches/availability-service";
import { coachIdForUser } from "@/lib/coaches/offering-service";
import { supportedTimeZones } from "@/lib/time/zones";
import { AvailabilityForm } from "./availability-form";
import { SlotPreview } from "./slot-preview";

export const metadata: Metadata = { title: "Availability" };

export default async function CoachAvailabilityPage() {
  const user = await requirePageUser(["COACH"], "/coach/availability");
  const [coachId, availability, preview] = await Promise.all([coachIdForUser(user.id), getAvailability(user.id), previewSlots(user.id)]);
  return (
    <div>
      <PageHeader title="Availability" description="When students can book you. Changes apply to new bookings as soon as you save." />
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <AvailabilityForm initial={availability} timeZones={supportedTimeZones()} />
        <aside className="space-y-6">
          <SlotPreview preview={preview} />
          {/* Cal.com sync: status and the "Sync with Cal.com" button. */}
          <CalcomSyncPanel coachId={coachId} />
        </aside>
      </div>
    </div>
  );
}
