/**
 * A separate app-worker process for crash tests: claims and runs due jobs (one at a time) until killed or idle.
 * Run with tsx; it reads DATABASE_URL and the integration settings from the environment like the app does.
 */
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { runDueJobs } from "@/lib/jobs/queue";

const idleRounds = Number(process.env.WORKER_IDLE_ROUNDS ?? 5);
let idle = 0;
while (idle < idleRounds) {
  const ran = await runDueJobs(JOB_HANDLERS, { limit: 1, workerId: `child-${process.pid}` });
  idle = ran === 0 ? idle + 1 : 0;
  if (ran === 0) await new Promise((resolve) => setTimeout(resolve, 200));
}
process.exit(0);
