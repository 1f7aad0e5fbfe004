import { z } from "zod";
import { log, redact } from "@/lib/log";
import { CalcomError, parseErrorBody } from "./errors";
import { DEFAULT_RETRY_POLICY, isConnectError, retryDelayMs, serverRetryAfterMs, type RetryPolicy } from "./retry";
import { apiVersionFor } from "./versions";

/**
 * HTTP core of the Cal.com client: base URL, `cal-api-version`, auth headers, timeouts, retries and the
 * `{status:"success", data}` / `{status:"error", error}` envelopes. Endpoint modules describe requests; this file
 * sends them.
 *
 * Retry policy (documented choice):
 * - Retried: 429 and 5xx answers, timeouts and network errors, up to `maxRetries`, with exponential backoff +
 *   jitter, waiting at least what `Retry-After` / `X-RateLimit-Reset-Default` ask for (bounded by
 *   `maxRetryAfterMs`; a longer wait fails at once with `retryAfterMs` set so the caller can reschedule).
 * - Only for idempotent requests: GET, PATCH, DELETE, and the POSTs flagged idempotent (booking confirm, decline
 *   and cancel: repeating them cannot create anything, and the bookings module turns "already in that state"
 *   into success).
 * - Non-idempotent POSTs (create managed user / schedule / event type / booking / webhook, reschedule, token
 *   refresh) are retried only when the server provably did not run them: a 429 (the throttler rejects before
 *   the handler) or a connection that could not be opened (ECONNREFUSED, DNS). Never after a timeout, a reset
 *   or a 5xx: the first attempt may have created a booking, and a blind retry would create a second one.
 */
export type CalcomAuth = { kind: "platform"; clientId: string; clientSecret: string } | { kind: "apiKey"; apiKey: string };

export interface CalcomHttpOptions {
  /** Host only, e.g. https://api.cal.com (paths already start with /v2). Default: https://api.cal.com. */
  baseUrl?: string;
  auth: CalcomAuth;
  /** Per attempt, including reading the body. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Fine-tuning of the backoff (tests use small values). */
  retry?: Partial<Omit<RetryPolicy, "maxRetries">>;
  fetch?: typeof fetch;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** How one request authenticates. */
export type RequestAuth =
  | { kind: "none" }
  /** `x-cal-secret-key` only; the client id is in the path (/v2/oauth-clients/{clientId}/..., /v2/oauth/{clientId}/refresh). */
  | { kind: "clientSecret" }
  /** Platform: `x-cal-client-id` + `x-cal-secret-key`; API-key mode: `Authorization: Bearer cal_...`. */
  | { kind: "client" }
  /** `Authorization: Bearer <token>` (a managed user's access token, or the API key). */
  | { kind: "bearer"; token: string };

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface CalcomRequest<T> {
  method: HttpMethod;
  /** Concrete path with encoded params, e.g. /v2/bookings/abc/confirm. */
  path: string;
  /** Path template used in errors and logs, e.g. /v2/bookings/{bookingUid}/confirm. */
  template: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  body?: unknown;
  auth: RequestAuth;
  /** Schema of the envelope's `data`. */
  data: z.ZodType<T>;
  /** Overrides the method default (GET/PATCH/DELETE idempotent, POST not). */
  idempotent?: boolean;
}

export class CalcomHttp {
  readonly baseUrl: string;
  readonly auth: CalcomAuth;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: CalcomHttpOptions) {
    this.baseUrl = (options.baseUrl ?? "https://api.cal.com").replace(/\/+$/, "").replace(/\/v2$/, "");
    this.auth = options.auth;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry, maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries };
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    if (options.auth.kind === "apiKey" && !options.auth.apiKey) throw new Error("Cal.com API key is empty");
    if (options.auth.kind === "platform" && (!options.auth.clientId || !options.auth.clientSecret)) {
      throw new Error("Cal.com Platform mode needs clientId and clientSecret");
    }
  }

  /** Headers for one request; exported for the version/auth unit tests. */
  headersFor(request: Pick<CalcomRequest<unknown>, "method" | "path" | "template" | "auth" | "body">): Headers {
    const headers = new Headers({ accept: "application/json" });
    if (request.body !== undefined) headers.set("content-type", "application/json");
    const version = apiVersionFor(request.path);
    if (version) headers.set("cal-api-version", version);
    const auth = request.auth;
    if (auth.kind === "bearer") {
      headers.set("authorization", `Bearer ${auth.token}`);
    } else if (auth.kind === "client") {
      if (this.auth.kind === "apiKey") headers.set("authorization", `Bearer ${this.auth.apiKey}`);
      else {
        headers.set("x-cal-client-id", this.auth.clientId);
        headers.set("x-cal-secret-key", this.auth.clientSecret);
      }
    } else if (auth.kind === "clientSecret") {
      if (this.auth.kind !== "platform") {
        throw new CalcomError({ kind: "config", method: request.method, path: request.template, calMessage: "this endpoint needs Platform (OAuth client) credentials" });
      }
      headers.set("x-cal-secret-key", this.auth.clientSecret);
    }
    return headers;
  }

  url(request: Pick<CalcomRequest<unknown>, "path" | "query">): string {
    const url = new URL(this.baseUrl + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
    }
    return url.toString();
  }

  async request<T>(request: CalcomRequest<T>): Promise<T> {
    const idempotent = request.idempotent ?? request.method !== "POST";
    const headers = this.headersFor(request);
    const url = this.url(request);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const base = { method: request.method, path: request.template };

    for (let attempt = 0; ; attempt++) {
      const attempts = attempt + 1;
      const canRetry = attempt < this.policy.maxRetries;
      let response: Response;
      let text: string;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
      try {
        response = await this.fetchImpl(url, { method: request.method, headers, body, signal: controller.signal, redirect: "manual" });
        text = await response.text();
      } catch (error) {
        clearTimeout(timer);
        const kind = timedOut ? "timeout" : "network";
        const safe = idempotent || (kind === "network" && isConnectError(error));
        if (safe && canRetry) {
          const delay = retryDelayMs(attempt, this.policy, undefined, this.random);
          log.warn("calcom.retry", { ...base, reason: kind, attempt: attempts, delayMs: delay });
          await this.sleep(delay);
          continue;
        }
        throw new CalcomError({ ...base, kind, attempts, cause: error, calMessage: kind === "timeout" ? `no answer within ${this.timeoutMs} ms` : undefined });
      }
      clearTimeout(timer);

      const json = parseJson(text);
      const requestId = response.headers.get("x-request-id") ?? undefined;
      if (response.status >= 200 && response.status < 300) return this.unwrap(request, json, { requestId, attempts });

      const status = response.status;
      const retryableStatus = status === 429 || status >= 500;
      const safe = idempotent || status === 429;
      const hint = status === 429 ? serverRetryAfterMs(response.headers) : undefined;
      const parsed = parseErrorBody(json);
      const error = (retryAfterMs?: number) =>
        new CalcomError({ ...base, kind: "http", status, code: parsed.code, calMessage: parsed.message ?? (text && !json ? text.slice(0, 200) : undefined), details: parsed.details, requestId, attempts, retryAfterMs });
      if (retryableStatus && safe && canRetry) {
        if (hint !== undefined && hint > this.policy.maxRetryAfterMs) throw error(hint);
        const delay = retryDelayMs(attempt, this.policy, hint, this.random);
        log.warn("calcom.retry", { ...base, status, attempt: attempts, delayMs: delay, requestId });
        await this.sleep(delay);
        continue;
      }
      throw error(hint);
    }
  }

  private unwrap<T>(request: CalcomRequest<T>, json: unknown, meta: { requestId?: string; attempts: number }): T {
    const invalid = (calMessage: string) =>
      new CalcomError({ kind: "invalid_response", method: request.method, path: request.template, calMessage, requestId: meta.requestId, attempts: meta.attempts });
    if (!json || typeof json !== "object" || (json as { status?: unknown }).status !== "success") {
      throw invalid("expected a JSON body with status \"success\"");
    }
    const result = request.data.safeParse((json as { data?: unknown }).data);
    if (!result.success) {
      const issues = result.error.issues.slice(0, 5).map((issue) => `data.${issue.path.join(".") || "(root)"}: ${issue.message}`);
      log.warn("calcom.invalid_response", { method: request.method, path: request.template, issues });
      throw invalid(redact(issues.join("; ")));
    }
    return result.data;
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
