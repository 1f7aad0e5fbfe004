import { invalidParam, resourceMissing } from "./errors";
import type { ParamReader } from "./params";
import type { EmulatorState } from "./state";
import type { ListObject } from "./types";

type Json = Record<string, unknown>;

/** Fields that are not ids but lists built on demand (`expand[]=line_items`). */
function virtualField(state: EmulatorState, obj: Json, field: string): unknown {
  if (obj.object === "checkout.session" && field === "line_items") {
    const items = state.lineItems.get(obj.id as string) ?? [];
    return { object: "list", data: structuredClone(items), has_more: false, url: `/v1/checkout/sessions/${obj.id}/line_items` };
  }
  if (obj.object === "charge" && field === "refunds") {
    const refunds = [...state.refunds.values()].filter((r) => r.charge === obj.id).reverse();
    return { object: "list", data: structuredClone(refunds), has_more: false, url: `/v1/charges/${obj.id}/refunds` };
  }
  return undefined;
}

function expandPath(state: EmulatorState, target: Json, segments: string[], fullPath: string): void {
  const [field, ...rest] = segments;
  if (field === "data" && target.object === "list" && Array.isArray(target.data)) {
    for (const item of target.data as Json[]) if (rest.length > 0) expandPath(state, item, rest, fullPath);
    return;
  }
  let value: unknown = Object.hasOwn(target, field) ? target[field] : undefined;
  const virtual = virtualField(state, target, field);
  if (virtual !== undefined) {
    target[field] = virtual;
    value = virtual;
  } else if (typeof value === "string") {
    const found = state.lookup(value);
    if (!found) throw resourceMissing(field, value, "expand");
    value = structuredClone(found);
    target[field] = value;
  } else if (value === null) {
    return;
  } else if (value === undefined || typeof value !== "object") {
    throw invalidParam(`This property cannot be expanded (${fullPath}).`, "expand");
  }
  if (rest.length > 0 && value && typeof value === "object") expandPath(state, value as Json, rest, fullPath);
}

/** Returns a deep copy of `object` with every `expand[]` path (e.g. `payment_intent.latest_charge`, `data.customer`) resolved. */
export function renderObject<T>(state: EmulatorState, object: T, expand: string[] = []): T {
  const copy = structuredClone(object) as Json;
  for (const path of expand) {
    const segments = path.split(".");
    if (segments.length > 4) throw invalidParam(`You cannot expand more than 4 levels of a property (${path}).`, "expand");
    expandPath(state, copy, segments, path);
  }
  return copy as T;
}

export interface PageParams {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export function readPageParams(p: ParamReader): PageParams {
  return {
    limit: p.integer("limit", { min: 1, max: 100 }) ?? 10,
    startingAfter: p.string("starting_after"),
    endingBefore: p.string("ending_before"),
  };
}

/** Cursor pagination over items given newest first, as Stripe's list endpoints return them. */
export function paginate<T extends { id: string }>(items: T[], page: PageParams, url: string): ListObject<T> {
  let start = 0;
  let end = items.length;
  if (page.startingAfter) {
    const i = items.findIndex((x) => x.id === page.startingAfter);
    if (i === -1) throw invalidParam(`No such object: '${page.startingAfter}'`, "starting_after", "resource_missing");
    start = i + 1;
  } else if (page.endingBefore) {
    const i = items.findIndex((x) => x.id === page.endingBefore);
    if (i === -1) throw invalidParam(`No such object: '${page.endingBefore}'`, "ending_before", "resource_missing");
    end = i;
    start = Math.max(0, end - page.limit);
  }
  const data = items.slice(start, Math.min(end, start + page.limit));
  const hasMore = page.endingBefore ? start > 0 : start + data.length < end;
  return { object: "list", data, has_more: hasMore, url };
}
