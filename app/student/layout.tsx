import { requirePageUser } from "@/lib/auth/session";

// Per request: it reads the session, and pages outside proxy.ts's cached public ones carry a per-request CSP nonce.
export const dynamic = "force-dynamic";

/** Every page under /student is for students only, checked on the server. */
export default async function StudentLayout({ children }: { children: React.ReactNode }) {
  await requirePageUser(["STUDENT"], "/student/bookings");
  return children;
}
