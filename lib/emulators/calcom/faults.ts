import type { EmulatorState } from "./state";
import type { ReleaseOrder, WebhookDispatcher } from "./webhook-dispatcher";

/**
 * Programmatic fault injection for tests. Request faults apply before routing (like a gateway or Cal.com's
 * throttler) and can be limited to matching requests with `{ method, path }` (`path`: substring or RegExp of the
 * pathname).
 */
export interface RequestMatch {
  method?: string;
  path?: string | RegExp;
}

export interface CalcomEmulatorFaults {
  /** Extra latency added to every request (0 to turn off). */
  latency(ms: number): void;
  /** The next `n` matching requests wait `ms` before being handled (use with a client timeout). */
  delayNext(n: number, ms: number, match?: RequestMatch): void;
  /** The next `n` matching requests answer a 5xx (default 500) in Cal.com's error envelope. */
  failNext(n: number, options?: { status?: number } & RequestMatch): void;
  /** The next `n` matching requests answer 429 with Retry-After and X-RateLimit-*-Default headers. */
  rateLimitNext(n: number, options?: { retryAfterSeconds?: number; resetSeconds?: number; retryAfterHeader?: boolean } & RequestMatch): void;
  /** Every access token issued so far expires now (→ 498 ACCESS_TOKEN_IS_EXPIRED). */
  expireAccessTokens(userId?: number): void;
  /** Every refresh token issued so far is rejected (→ clients must force-refresh). */
  revokeRefreshTokens(userId?: number): void;
  /** The next `n` webhook deliveries are recorded but not sent. */
  dropWebhooks(n: number): void;
  /** The next `n` webhook deliveries are sent twice. */
  duplicateWebhooks(n: number): void;
  /** Queue webhook deliveries instead of sending them… */
  holdWebhooks(): void;
  /** …and send the queue, optionally out of order. */
  releaseWebhooks(order?: ReleaseOrder): Promise<void>;
  /** Clears all pending faults. */
  reset(): void;
}

interface Rule {
  remaining: number;
  match: RequestMatch;
}

export type RequestFault = { kind: "fail"; status: number } | { kind: "rateLimit"; retryAfterSeconds: number; resetSeconds: number; retryAfterHeader: boolean } | { kind: "delay"; ms: number };

export class FaultController implements CalcomEmulatorFaults {
  latencyMs = 0;
  private fails: (Rule & { status: number })[] = [];
  private limits: (Rule & { retryAfterSeconds: number; resetSeconds: number; retryAfterHeader: boolean })[] = [];
  private delays: (Rule & { ms: number })[] = [];

  constructor(
    private readonly state: EmulatorState,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  latency(ms: number) {
    this.latencyMs = Math.max(0, ms);
  }
  delayNext(n: number, ms: number, match: RequestMatch = {}) {
    this.delays.push({ remaining: n, ms, match });
  }
  failNext(n: number, options: { status?: number } & RequestMatch = {}) {
    const { status = 500, ...match } = options;
    this.fails.push({ remaining: n, status, match });
  }
  rateLimitNext(n: number, options: { retryAfterSeconds?: number; resetSeconds?: number; retryAfterHeader?: boolean } & RequestMatch = {}) {
    const { retryAfterSeconds = 1, resetSeconds, retryAfterHeader = true, ...match } = options;
    this.limits.push({ remaining: n, retryAfterSeconds, resetSeconds: resetSeconds ?? retryAfterSeconds, retryAfterHeader, match });
  }
  expireAccessTokens(userId?: number) {
    this.state.expireAccessTokens(userId);
  }
  revokeRefreshTokens(userId?: number) {
    this.state.revokeRefreshTokens(userId);
  }
  dropWebhooks(n: number) {
    this.dispatcher.dropNext(n);
  }
  duplicateWebhooks(n: number) {
    this.dispatcher.duplicateNext(n);
  }
  holdWebhooks() {
    this.dispatcher.hold();
  }
  releaseWebhooks(order?: ReleaseOrder) {
    return this.dispatcher.release(order);
  }
  reset() {
    this.latencyMs = 0;
    this.fails = [];
    this.limits = [];
    this.delays = [];
    this.dispatcher.reset();
  }

  /** Consumes the faults that apply to this request, in order: delay, then 429, then 5xx. */
  take(method: string, pathname: string): RequestFault[] {
    const out: RequestFault[] = [];
    const delay = consume(this.delays, method, pathname);
    if (delay) out.push({ kind: "delay", ms: delay.ms });
    const limit = consume(this.limits, method, pathname);
    if (limit) out.push({ kind: "rateLimit", retryAfterSeconds: limit.retryAfterSeconds, resetSeconds: limit.resetSeconds, retryAfterHeader: limit.retryAfterHeader });
    else {
      const fail = consume(this.fails, method, pathname);
      if (fail) out.push({ kind: "fail", status: fail.status });
    }
    return out;
  }
}

function consume<T extends Rule>(rules: T[], method: string, pathname: string): T | undefined {
  const rule = rules.find((r) => r.remaining > 0 && matches(r.match, method, pathname));
  if (!rule) return undefined;
  rule.remaining--;
  if (rule.remaining === 0) rules.splice(rules.indexOf(rule), 1);
  return rule;
}

function matches(match: RequestMatch, method: string, pathname: string) {
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.path instanceof RegExp) return match.path.test(pathname);
  if (typeof match.path === "string") return pathname.includes(match.path);
  return true;
}
