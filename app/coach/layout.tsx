import { requirePageUser } from "@/lib/auth/session";

// Per request: it reads the session, and pages outside proxy.ts's cached public ones carry a per-request CSP nonce.
export const dynamic = "force-dynamic";

/** Every page under /coach is for coaches only, checked on the server. */
export default async function CoachLayout({ children }: { children: React.ReactNode }) {
  await requirePageUser(["COACH"], "/coach");
  return children;
}
