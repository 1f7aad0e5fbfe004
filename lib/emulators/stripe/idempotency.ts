import { idempotencyError } from "./errors";

export interface StoredResponse {
  method: string;
  path: string;
  /** Canonical JSON of the parsed parameters. */
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
}

/**
 * Stripe's idempotent requests: the first response for a key is stored (successes and errors from an endpoint
 * that ran; not validation errors or injected 5xx faults) and replayed for the same parameters; different
 * parameters or another endpoint answer 400 `idempotency_error`.
 */
export class IdempotencyStore {
  private readonly responses = new Map<string, StoredResponse>();

  /** The stored response to replay, or undefined to execute; throws on a conflicting reuse. */
  check(key: string, method: string, path: string, fingerprint: string): StoredResponse | undefined {
    if (key.length > 255) throw idempotencyError("Idempotency keys can be at most 255 characters long.");
    const stored = this.responses.get(key);
    if (!stored) return undefined;
    if (stored.method !== method || stored.path !== path) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.method} ${stored.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (stored.fingerprint !== fingerprint) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return stored;
  }

  store(key: string, response: StoredResponse): void {
    this.responses.set(key, response);
  }

  get size(): number {
    return this.responses.size;
  }
}
