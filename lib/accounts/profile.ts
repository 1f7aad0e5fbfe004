import bcrypt from "bcryptjs";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { timeZoneSchema } from "@/lib/time/zones";
import { hashPassword, type AccountSummary } from "./service";

/** Every field is optional: the picker saves only the zone, the profile page sends name and zone (and a password change). */
export const profileUpdateSchema = z
  .object({
    name: z.string().trim().min(2, "Enter your name (at least 2 characters).").max(100, "Keep the name under 100 characters.").optional(),
    timeZone: timeZoneSchema.optional(),
    currentPassword: z.string().max(200).optional(),
    newPassword: z.string().min(8, "Use at least 8 characters for the new password.").max(200, "Keep the password under 200 characters.").optional(),
  })
  .refine((v) => !v.newPassword || Boolean(v.currentPassword), { message: "Enter your current password to set a new one.", path: ["currentPassword"] });
export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;

export async function getProfile(userId: string): Promise<AccountSummary> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true, timeZone: true } });
  if (!user) throw new AppError("NOT_FOUND", "No such account.");
  return user;
}

/**
 * Name, display zone and password of the signed-in user. A new password needs the current one (a borrowed,
 * unlocked session must not be enough to take the account over). A coach's availability zone is separate and
 * stays as it is (it is edited on the availability page).
 */
export async function updateProfile(userId: string, input: ProfileUpdate): Promise<AccountSummary> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("NOT_FOUND", "No such account.");
  let passwordHash: string | undefined;
  if (input.newPassword) {
    const ok = await bcrypt.compare(input.currentPassword ?? "", user.passwordHash);
    if (!ok) throw new AppError("VALIDATION", "Your current password is not right.", { fields: { currentPassword: "Your current password is not right." } });
    passwordHash = await hashPassword(input.newPassword);
  }
  const updated = await db.user.update({
    where: { id: userId },
    data: { name: input.name, timeZone: input.timeZone, passwordHash },
    select: { id: true, email: true, name: true, role: true, timeZone: true },
  });
  return updated;
}
