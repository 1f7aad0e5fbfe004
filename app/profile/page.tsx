import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { supportedTimeZones } from "@/lib/time/zones";
import { ProfileForm } from "./profile-form";

// Per request: it reads the session, and pages outside proxy.ts's cached public ones carry a per-request CSP nonce.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const user = await requirePageUser(undefined, "/profile");
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader title="Your profile" description={`Signed in as ${user.email}.`} />
      <ProfileForm name={user.name} timeZone={user.timeZone} timeZones={supportedTimeZones()} />
    </div>
  );
}
