import { randomUUID } from "node:crypto";
import { sweepExpiredHolds } from "@/lib/booking/release";
import { log } from "@/lib/log";
import { JOB_HANDLERS } from "./handlers";
import { JOB } from "./kinds";
import { enqueue, pruneOldRecords, runDueJobs } from "./queue";
import { db } from "@/lib/db/client";

/**
 * The background loops of an app process. Each runs on its own timer so one cannot starve another:
 * - hold sweep: queues the release of holds whose time is up (cheap, every few seconds);
 * - hold lane: runs hold-expiry jobs only, so expiring holds never waits behind slow Cal.com or Stripe calls;
 * - general lane: every other job, several at once, each with its own lease;
 * - schedules: the reconciler every RECONCILE_INTERVAL_MINUTES and pruning daily, queued with a time-bucket dedupe
 *   key so that with several app processes each run happens once.
 * Several app processes may run all of this at once: jobs are claimed with SKIP LOCKED and fenced by lease tokens.
 */
const HOLD_KINDS = [JOB.bookingExpireHold];
const GENERAL_KINDS = Object.keys(JOB_HANDLERS).filter((kind) => !HOLD_KINDS.includes(kind as (typeof HOLD_KINDS)[number]));

export const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;

export async function scheduleRecurring(now = Date.now()): Promise<void> {
  const minutes = Number(process.env.RECONCILE_INTERVAL_MINUTES ?? 5);
  const bucket = Math.floor(now / (minutes * 60_000));
  await enqueue(db, { kind: JOB.reconcile, payload: { trigger: "schedule" }, dedupeKey: `reconcile:${minutes}:${bucket}`, cause: "scheduled reconciliation", maxAttempts: 3 });
  const day = Math.floor(now / 86_400_000);
  await enqueue(db, { kind: JOB.prune, payload: {}, dedupeKey: `prune:${day}`, cause: "daily retention", maxAttempts: 3 });
}

/** One pass of every loop (tests and the dev runner use it to settle). */
export async function tick(): Promise<void> {
  await sweepExpiredHolds();
  await runDueJobs(JOB_HANDLERS, { kinds: HOLD_KINDS, limit: 100, workerId });
  await runDueJobs(JOB_HANDLERS, { kinds: GENERAL_KINDS, limit: 50, concurrency: 4, workerId });
}

const state = globalThis as unknown as { coachbookWorker?: NodeJS.Timeout[] };

function loop(name: string, intervalMs: number, body: () => Promise<unknown>): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    body()
      .catch((error) => log.error(`background ${name} failed`, { error }))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref?.();
  return timer;
}

export function startWorker(intervalMs = Number(process.env.WORKER_INTERVAL_MS ?? 2000)) {
  if (state.coachbookWorker || process.env.COACHBOOK_WORKER === "off") return;
  state.coachbookWorker = [
    loop("hold sweep", intervalMs, () => sweepExpiredHolds()),
    loop("hold lane", intervalMs, () => runDueJobs(JOB_HANDLERS, { kinds: HOLD_KINDS, limit: 100, workerId })),
    loop("job lane", intervalMs, async () => {
      while ((await runDueJobs(JOB_HANDLERS, { kinds: GENERAL_KINDS, limit: 20, concurrency: 4, workerId })) > 0) {
        // keep draining while there is work
      }
    }),
    loop("schedules", 60_000, () => scheduleRecurring()),
  ];
}

export { pruneOldRecords };
