import type { StripeEmulatorFaults } from "./faults";
import { ID_PREFIXES, newId } from "./ids";
import type { EmulatorClock, EmulatorState } from "./state";
import type { ApiObject, EventObject } from "./types";
import type { WebhookDispatcher } from "./webhooks";

/** Where a change came from; API requests put their id and idempotency key into the events they cause. */
export interface RequestInfo {
  id: string | null;
  idempotencyKey: string | null;
}

export const NO_REQUEST: RequestInfo = { id: null, idempotencyKey: null };

export interface EmulatorContext {
  readonly state: EmulatorState;
  readonly clock: EmulatorClock;
  readonly faults: StripeEmulatorFaults;
  readonly dispatcher: WebhookDispatcher;
  /** Base URL used in hosted page links (`session.url`). */
  readonly publicUrl: string;
  readonly apiVersion: string;
  hasWebhookUrl(): boolean;
}

/** Creates Event objects (snapshots of `object` now), stores them and hands them to the dispatcher as one batch. */
export function emit(ctx: EmulatorContext, request: RequestInfo, items: Array<[type: string, object: ApiObject]>): EventObject[] {
  const events = items.map(([type, object]): EventObject => {
    const event: EventObject = {
      id: newId(ID_PREFIXES.event),
      object: "event",
      api_version: ctx.apiVersion,
      created: ctx.clock.now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: ctx.hasWebhookUrl() ? 1 : 0,
      request: { id: request.id, idempotency_key: request.idempotencyKey },
      type,
    };
    ctx.state.events.set(event.id, event);
    return event;
  });
  ctx.dispatcher.publish(events);
  return events;
}
