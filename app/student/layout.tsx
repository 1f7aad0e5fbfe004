import { requirePageUser } from "@/lib/auth/session";

/** Every page under /student is for students only, checked on the server. */
export default async function StudentLayout({ children }: { children: React.ReactNode }) {
  await requirePageUser(["STUDENT"], "/student/bookings");
  return children;
}
