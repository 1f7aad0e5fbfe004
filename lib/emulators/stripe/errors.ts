/** Stripe-shaped API errors: `{ error: { type, code, message, param, decline_code, payment_intent } }`. */

export type StripeErrorType = "invalid_request_error" | "api_error" | "card_error" | "idempotency_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  payment_intent?: unknown;
  charge?: string;
  payment_method?: unknown;
}

export class StripeEmulatorError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  /**
   * Whether an idempotent request that ended in this error stores it for replay. Stripe saves results once
   * the endpoint started executing, but not when the parameters failed validation.
   */
  readonly storeForIdempotency: boolean;

  constructor(status: number, body: StripeErrorBody, storeForIdempotency = true) {
    super(body.message);
    this.name = "StripeEmulatorError";
    this.status = status;
    this.body = body;
    this.storeForIdempotency = storeForIdempotency;
  }

  toJSON(): { error: StripeErrorBody } {
    const error: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.body)) if (v !== undefined) error[k] = v;
    if (this.body.code && !this.body.doc_url) error.doc_url = `https://docs.stripe.com/error-codes/${this.body.code.replace(/_/g, "-")}`;
    return { error: error as unknown as StripeErrorBody };
  }
}

/** 400 for a malformed or invalid parameter; not stored for idempotent replay. */
export function invalidParam(message: string, param?: string, code?: string): StripeEmulatorError {
  return new StripeEmulatorError(400, { type: "invalid_request_error", message, param, code }, false);
}

export function missingParam(param: string): StripeEmulatorError {
  return invalidParam(`Missing required param: ${param}.`, param, "parameter_missing");
}

export function unknownParam(param: string): StripeEmulatorError {
  return invalidParam(`Received unknown parameter: ${param}`, param, "parameter_unknown");
}

/** 400 for a request that is valid but not allowed in the current state; stored for idempotent replay. */
export function invalidRequest(message: string, opts: { param?: string; code?: string } = {}): StripeEmulatorError {
  return new StripeEmulatorError(400, { type: "invalid_request_error", message, param: opts.param, code: opts.code });
}

export function resourceMissing(objectName: string, id: string, param = "id"): StripeEmulatorError {
  return new StripeEmulatorError(
    404,
    { type: "invalid_request_error", code: "resource_missing", message: `No such ${objectName}: '${id}'`, param },
    false,
  );
}

export function authenticationError(message: string): StripeEmulatorError {
  return new StripeEmulatorError(401, { type: "invalid_request_error", message }, false);
}

export function apiError(status: number, message = "An unknown error occurred (emulated fault)."): StripeEmulatorError {
  return new StripeEmulatorError(status, { type: "api_error", message }, false);
}

export function cardError(
  message: string,
  opts: { code: string; declineCode?: string; paymentIntent?: unknown; charge?: string; paymentMethod?: unknown },
): StripeEmulatorError {
  return new StripeEmulatorError(402, {
    type: "card_error",
    message,
    code: opts.code,
    decline_code: opts.declineCode,
    payment_intent: opts.paymentIntent,
    charge: opts.charge,
    payment_method: opts.paymentMethod,
  });
}

export function idempotencyError(message: string, status = 400): StripeEmulatorError {
  return new StripeEmulatorError(status, { type: "idempotency_error", message }, false);
}
