import { getProfile, profileUpdateSchema, updateProfile } from "@/lib/accounts/profile";
import { parseJson, route } from "@/lib/http/route";

/** The signed-in user's name, email, role and display time zone. */
export const GET = route("signed-in", async ({ user }) => ({ profile: await getProfile(user.id) }));

/** Change name and/or time zone; a new password needs the current one (400 with details.fields when wrong). */
export const PATCH = route("signed-in", async ({ req, user }) => {
  const input = await parseJson(req, profileUpdateSchema);
  return { profile: await updateProfile(user.id, input) };
});
