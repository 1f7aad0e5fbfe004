import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "./options";
import type { Role } from "@/lib/generated/prisma/enums";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  timeZone: string;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ? session.user : null;
}

/** For server components: signed-out visitors go to sign-in; a wrong role gets the 403 page. */
export async function requirePageUser(roles?: Role[], callbackPath?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/signin${callbackPath ? `?callbackUrl=${encodeURIComponent(callbackPath)}` : ""}`);
  if (roles && !roles.includes(user.role)) redirect("/forbidden");
  return user;
}

export function homeFor(role: Role): string {
  return role === "COACH" ? "/coach" : role === "STUDENT" ? "/student/bookings" : "/";
}
