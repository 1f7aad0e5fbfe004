import { coachPolicySchema } from "@/lib/booking/policy";
import { getCoachPolicy, saveCoachPolicy } from "@/lib/booking/policy-settings";
import { parseJson, route } from "@/lib/http/route";

/** The signed-in coach's cancellation and reschedule policy, with its plain-language summary. */
export const GET = route("COACH", async ({ user }) => getCoachPolicy(user.id));

/** Saves the policy for new bookings (existing bookings keep their snapshot). */
export const PUT = route("COACH", async ({ req, user }) => saveCoachPolicy(user.id, await parseJson(req, coachPolicySchema)));
