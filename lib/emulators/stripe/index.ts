export { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from "./server";
export { StripeEmulatorFaults, type DeclineSpec, type ReleaseOrder } from "./faults";
export type { PayOptions, PayResult } from "./resources/checkout";
export type { WebhookDelivery } from "./webhooks";
export type { EmulatorState } from "./state";
export type * from "./types";
export { parseForm, FormParseError } from "./form";
export { signatureHeader, computeSignature } from "./signature";
