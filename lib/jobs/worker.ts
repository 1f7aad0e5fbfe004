import { sweepExpiredHolds } from "@/lib/booking/release";
import { log } from "@/lib/log";
import { JOB_HANDLERS } from "./handlers";
import { runDueJobs } from "./queue";

/**
 * The background loop of the app process: releases holds whose time is up (even if nobody clicks anything) and
 * runs due outbox jobs. Several app processes may run it at once: holds are released by guarded updates and
 * jobs are claimed with SKIP LOCKED.
 */
export async function tick(): Promise<void> {
  await sweepExpiredHolds();
  while ((await runDueJobs(JOB_HANDLERS, { limit: 20 })) > 0) {
    // keep draining while there is work
  }
}

const state = globalThis as unknown as { coachbookWorker?: NodeJS.Timeout };

export function startWorker(intervalMs = Number(process.env.WORKER_INTERVAL_MS ?? 2000)) {
  if (state.coachbookWorker || process.env.COACHBOOK_WORKER === "off") return;
  let running = false;
  state.coachbookWorker = setInterval(() => {
    if (running) return;
    running = true;
    tick()
      .catch((error) => log.error("background worker tick failed", { error }))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  state.coachbookWorker.unref?.();
}
