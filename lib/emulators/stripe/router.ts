import type { EmulatorContext, RequestInfo } from "./context";
import { StripeEmulatorError } from "./errors";
import type { ParamReader } from "./params";
import { createSession, expireSession, listSessionLineItems, listSessions, retrieveSession } from "./resources/checkout";
import { createCustomer, listCustomerPaymentMethods, listCustomers, retrieveCustomer, updateCustomer } from "./resources/customers";
import { listEvents, retrieveEvent } from "./resources/events";
import {
  attachPaymentMethod,
  cancelPaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  detachPaymentMethod,
  listCharges,
  listPaymentIntents,
  retrieveCharge,
  retrievePaymentIntent,
  retrievePaymentMethod,
  updatePaymentIntent,
} from "./resources/payments";
import { createRefund, listRefunds, retrieveRefund, updateRefund } from "./resources/refunds";

export interface RouteArgs {
  id: string;
  p: ParamReader;
  request: RequestInfo;
}

type Handler = (ctx: EmulatorContext, args: RouteArgs) => unknown;

const ID = "([^/]+)";

const ROUTES: Array<[method: string, pattern: RegExp, handler: Handler]> = [
  ["POST", /^\/v1\/checkout\/sessions$/, (ctx, a) => createSession(ctx, a.p)],
  ["GET", /^\/v1\/checkout\/sessions$/, (ctx, a) => listSessions(ctx, a.p)],
  ["GET", new RegExp(`^/v1/checkout/sessions/${ID}$`), (ctx, a) => retrieveSession(ctx, a.id, a.p)],
  ["POST", new RegExp(`^/v1/checkout/sessions/${ID}/expire$`), (ctx, a) => expireSession(ctx, a.id, a.p, a.request)],
  ["GET", new RegExp(`^/v1/checkout/sessions/${ID}/line_items$`), (ctx, a) => listSessionLineItems(ctx, a.id, a.p)],

  ["POST", /^\/v1\/payment_intents$/, (ctx, a) => createPaymentIntent(ctx, a.p, a.request)],
  ["GET", /^\/v1\/payment_intents$/, (ctx, a) => listPaymentIntents(ctx, a.p)],
  ["GET", new RegExp(`^/v1/payment_intents/${ID}$`), (ctx, a) => retrievePaymentIntent(ctx, a.id, a.p)],
  ["POST", new RegExp(`^/v1/payment_intents/${ID}$`), (ctx, a) => updatePaymentIntent(ctx, a.id, a.p)],
  ["POST", new RegExp(`^/v1/payment_intents/${ID}/confirm$`), (ctx, a) => confirmPaymentIntent(ctx, a.id, a.p, a.request)],
  ["POST", new RegExp(`^/v1/payment_intents/${ID}/cancel$`), (ctx, a) => cancelPaymentIntent(ctx, a.id, a.p, a.request)],

  ["GET", /^\/v1\/charges$/, (ctx, a) => listCharges(ctx, a.p)],
  ["GET", new RegExp(`^/v1/charges/${ID}$`), (ctx, a) => retrieveCharge(ctx, a.id, a.p)],

  ["POST", /^\/v1\/refunds$/, (ctx, a) => createRefund(ctx, a.p, a.request)],
  ["GET", /^\/v1\/refunds$/, (ctx, a) => listRefunds(ctx, a.p)],
  ["GET", new RegExp(`^/v1/refunds/${ID}$`), (ctx, a) => retrieveRefund(ctx, a.id, a.p)],
  ["POST", new RegExp(`^/v1/refunds/${ID}$`), (ctx, a) => updateRefund(ctx, a.id, a.p)],

  ["POST", /^\/v1\/customers$/, (ctx, a) => createCustomer(ctx, a.p)],
  ["GET", /^\/v1\/customers$/, (ctx, a) => listCustomers(ctx, a.p)],
  ["GET", new RegExp(`^/v1/customers/${ID}$`), (ctx, a) => retrieveCustomer(ctx, a.id, a.p)],
  ["POST", new RegExp(`^/v1/customers/${ID}$`), (ctx, a) => updateCustomer(ctx, a.id, a.p)],
  ["GET", new RegExp(`^/v1/customers/${ID}/payment_methods$`), (ctx, a) => listCustomerPaymentMethods(ctx, a.id, a.p)],

  ["GET", new RegExp(`^/v1/payment_methods/${ID}$`), (ctx, a) => retrievePaymentMethod(ctx, a.id, a.p)],
  ["POST", new RegExp(`^/v1/payment_methods/${ID}/attach$`), (ctx, a) => attachPaymentMethod(ctx, a.id, a.p)],
  ["POST", new RegExp(`^/v1/payment_methods/${ID}/detach$`), (ctx, a) => detachPaymentMethod(ctx, a.id, a.p)],

  ["GET", /^\/v1\/events$/, (ctx, a) => listEvents(ctx, a.p)],
  ["GET", new RegExp(`^/v1/events/${ID}$`), (ctx, a) => retrieveEvent(ctx, a.id, a.p)],
];

export function findRoute(method: string, path: string): { handler: Handler; id: string } | undefined {
  for (const [m, pattern, handler] of ROUTES) {
    if (m !== method) continue;
    const match = pattern.exec(path);
    if (match) return { handler, id: match[1] ? decodeURIComponent(match[1]) : "" };
  }
  return undefined;
}

export function unrecognizedUrl(method: string, path: string): StripeEmulatorError {
  return new StripeEmulatorError(
    404,
    {
      type: "invalid_request_error",
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/. (The Stripe emulator implements: checkout sessions, payment intents, charges, refunds, customers, payment methods, events.)`,
    },
    false,
  );
}
