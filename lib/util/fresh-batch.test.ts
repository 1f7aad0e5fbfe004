import { describe, expect, it } from "vitest";
import { freshBatcher } from "./fresh-batch";

/** A run whose calls are recorded and settled by hand. */
function controlledRun() {
  const calls: { arg: string; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const run = (arg: string) => new Promise<string>((resolve, reject) => calls.push({ arg, resolve, reject }));
  return { calls, run };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("freshBatcher", () => {
  it("never hands a caller the run that was already in flight when they called", async () => {
    const { calls, run } = controlledRun();
    const get = freshBatcher((k: string) => k, run);
    const first = get("a");
    expect(calls).toHaveLength(1);
    // Three callers arrive while the first run is in flight: they share ONE next run, started after it ends.
    const later = [get("a"), get("a"), get("a")];
    expect(calls).toHaveLength(1);
    calls[0].resolve("before the write");
    expect(await first).toBe("before the write");
    await tick();
    expect(calls).toHaveLength(2);
    calls[1].resolve("after the write");
    expect(await Promise.all(later)).toEqual(["after the write", "after the write", "after the write"]);
  });

  it("starts a caller's own run at once when nothing is in flight, and keys do not wait for each other", async () => {
    const { calls, run } = controlledRun();
    const get = freshBatcher((k: string) => k, run);
    const a = get("a");
    const b = get("b");
    expect(calls.map((c) => c.arg)).toEqual(["a", "b"]);
    calls[1].resolve("B");
    expect(await b).toBe("B");
    calls[0].resolve("A");
    expect(await a).toBe("A");
    const again = get("a");
    expect(calls).toHaveLength(3); // nothing in flight for "a" any more: a fresh run at once
    calls[2].resolve("A2");
    expect(await again).toBe("A2");
  });

  it("a caller arriving once the queued run has started waits for the one after it", async () => {
    const { calls, run } = controlledRun();
    const get = freshBatcher((k: string) => k, run);
    void get("a");
    const second = get("a");
    calls[0].resolve("1");
    await tick();
    expect(calls).toHaveLength(2); // the queued run has started
    const third = get("a");
    calls[1].resolve("2");
    expect(await second).toBe("2");
    await tick();
    expect(calls).toHaveLength(3);
    calls[2].resolve("3");
    expect(await third).toBe("3");
  });

  it("a failed run fails its own callers only; the next callers get a run of their own", async () => {
    const { calls, run } = controlledRun();
    const get = freshBatcher((k: string) => k, run);
    const first = get("a");
    const queued = get("a");
    calls[0].reject(new Error("database down"));
    await expect(first).rejects.toThrow("database down");
    await tick();
    calls[1].resolve("fine");
    expect(await queued).toBe("fine");
  });
});
