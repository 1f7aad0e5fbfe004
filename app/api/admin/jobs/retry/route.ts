import { z } from "zod";
import { parseJson, route } from "@/lib/http/route";
import { retryJob } from "@/lib/ops/overview";

const bodySchema = z.object({ jobId: z.string().trim().min(1, "jobId is required.").max(64) });

/** Admins: run a DEAD job again with a fresh set of attempts. */
export const POST = route("ADMIN", async ({ req }) => {
  const { jobId } = await parseJson(req, bodySchema);
  return retryJob(jobId);
});
