import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { withSessionAdvisoryLock } from "@/lib/db/session-lock";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("withSessionAdvisoryLock", () => {
  it("serialises holders of one key across connections, with no transaction open while it waits", async () => {
    const events: string[] = [];
    let seenDuringHold: { state: string; xact_start: Date | null }[] = [];
    const first = withSessionAdvisoryLock("test-lock:a", async () => {
      events.push("first:start");
      await sleep(300);
      // What PostgreSQL sees while the slow outside call runs: the lock's own connection, idle, no transaction.
      seenDuringHold = await db.$queryRaw`SELECT state, xact_start FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'coachbook-lock' AND state = 'idle'`;
      events.push("first:end");
    });
    await sleep(100);
    const second = withSessionAdvisoryLock("test-lock:a", async () => {
      events.push("second");
    });
    const other = withSessionAdvisoryLock("test-lock:b", async () => {
      events.push("other-key");
    });
    await Promise.all([first, second, other]);
    expect(events.indexOf("second")).toBeGreaterThan(events.indexOf("first:end"));
    expect(events.indexOf("other-key")).toBeLessThan(events.indexOf("first:end"));
    expect(seenDuringHold.length).toBeGreaterThanOrEqual(1);
    expect(seenDuringHold.every((row) => row.xact_start === null)).toBe(true);
  });

  it("releases the lock when the work throws, and closes its connection", async () => {
    await expect(withSessionAdvisoryLock("test-lock:c", async () => Promise.reject(new Error("refresh failed")))).rejects.toThrow("refresh failed");
    await expect(withSessionAdvisoryLock("test-lock:c", async () => "again", { waitMs: 500 })).resolves.toBe("again");
    const open = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'coachbook-lock'`;
    expect(open[0].n).toBe(0);
  });

  it("gives up after the wait bound instead of queueing forever", async () => {
    const held = withSessionAdvisoryLock("test-lock:d", () => sleep(1500));
    await sleep(100);
    await expect(withSessionAdvisoryLock("test-lock:d", async () => "never", { waitMs: 200 })).rejects.toThrow(/lock timeout/);
    await held;
  });
});
