/**
 * Coalesces concurrent calls for the same key WITHOUT serving anyone an answer older than their call: a call
 * joins the next run of its key, never one already in flight. While a run is in flight, every call that arrives
 * waits for one shared run that starts when the current one ends. So each caller's answer comes from work that
 * began after the caller asked (a read it triggers sees every write committed before it asked), and N callers
 * arriving together cost at most two runs instead of N.
 *
 * Plain "single flight" (join whatever is in flight) is not used on purpose: a student who has just taken a slot
 * could join a read that started before their write committed and be shown the slot again.
 *
 * Per process and in memory only: it shares work, it holds no state that matters (docs/SCALING.md).
 */
export function freshBatcher<A, V>(keyOf: (arg: A) => string, run: (arg: A) => Promise<V>): (arg: A) => Promise<V> {
  const inFlight = new Map<string, Promise<unknown>>();
  const next = new Map<string, Promise<V>>();

  // Calls with equal keys must be interchangeable: a batch runs with the argument of its first caller.
  const start = (key: string, arg: A): Promise<V> => {
    const result = run(arg);
    // Registered before any caller's own handler, so the key is free again by the time a caller sees the answer.
    const settled: Promise<void> = result.then(finish, finish);
    function finish() {
      if (inFlight.get(key) === settled) inFlight.delete(key);
    }
    inFlight.set(key, settled);
    return result;
  };

  return (arg: A) => {
    const key = keyOf(arg);
    const queued = next.get(key);
    if (queued) return queued;
    const running = inFlight.get(key);
    if (!running) return start(key, arg);
    const batch = running.then(() => {
      next.delete(key);
      return start(key, arg);
    });
    next.set(key, batch);
    return batch;
  };
}
