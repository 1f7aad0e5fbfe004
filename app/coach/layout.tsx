import { requirePageUser } from "@/lib/auth/session";

/** Every page under /coach is for coaches only, checked on the server. */
export default async function CoachLayout({ children }: { children: React.ReactNode }) {
  await requirePageUser(["COACH"], "/coach");
  return children;
}
