import { z } from "zod";
import { parseJson, route } from "@/lib/http/route";
import { resolveOpsFinding } from "@/lib/ops/overview";

const bodySchema = z.object({ findingId: z.string().trim().min(1, "findingId is required.").max(64) });

/** Admins: mark a finding as dealt with. */
export const POST = route("ADMIN", async ({ req }) => {
  const { findingId } = await parseJson(req, bodySchema);
  return resolveOpsFinding(findingId);
});
