import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { getCoachPolicy } from "@/lib/booking/policy-settings";
import { PolicyForm } from "./policy-form";

export const metadata: Metadata = { title: "Cancellation policy" };

export default async function CoachPolicyPage() {
  const user = await requirePageUser(["COACH"], "/coach/policy");
  const { policy } = await getCoachPolicy(user.id);
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title="Cancellation and reschedule policy"
        description="What students get back when they cancel, and how they may move a session. Changes apply to new bookings; each booking keeps the policy it was booked under."
      />
      <PolicyForm initial={policy} />
    </div>
  );
}
