/**
 * A small circuit breaker for Cal.com's slot answers: after `failureThreshold` consecutive failed calls it opens
 * for `coolDownMs`, during which callers fail fast (the local engine answers) instead of every student waiting for
 * a timeout. After the cool-down one call is let through as a probe; its outcome closes or re-opens the breaker.
 *
 * State is per process on purpose: it is an optimisation (how long to wait for Cal.com), not a correctness matter,
 * so N app instances each learn on their own (at most N x threshold slow calls per outage). Hand-written rather
 * than a library (opossum): we need only these three states and no timers, events or stats of its own.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(private readonly options: { failureThreshold: number; coolDownMs: number; now?: () => number }) {}

  private now() {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** Whether a call may go out now. When the cool-down is over, exactly one caller gets to probe. */
  allow(): boolean {
    if (this.failures < this.options.failureThreshold) return true;
    if (this.now() < this.openUntil || this.probing) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.probing = false;
  }

  failed(): void {
    this.failures++;
    this.probing = false;
    if (this.failures >= this.options.failureThreshold) this.openUntil = this.now() + this.options.coolDownMs;
  }

  get state(): "closed" | "open" | "half-open" {
    if (this.failures < this.options.failureThreshold) return "closed";
    return this.now() < this.openUntil ? "open" : "half-open";
  }
}
