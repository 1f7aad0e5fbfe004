import type { EmulatorContext } from "../context";
import { resourceMissing } from "../errors";
import { paginate, readPageParams, renderObject } from "../expand";
import type { ParamReader } from "../params";
import type { EventObject, ListObject } from "../types";

export function retrieveEvent(ctx: EmulatorContext, id: string, p: ParamReader): EventObject {
  const expand = p.expand();
  p.done();
  const event = ctx.state.events.get(id);
  if (!event) throw resourceMissing("event", id);
  return renderObject(ctx.state, event, expand);
}

export function listEvents(ctx: EmulatorContext, p: ParamReader): ListObject<EventObject> {
  const type = p.string("type");
  const types = p.stringList("types");
  const page = readPageParams(p);
  const expand = p.expand();
  p.ignore("created", "delivery_success").done();
  const matches = (eventType: string) => {
    if (type !== undefined) return type.endsWith(".*") ? eventType.startsWith(type.slice(0, -1)) : eventType === type;
    if (types !== undefined) return types.includes(eventType);
    return true;
  };
  const items = [...ctx.state.events.values()].reverse().filter((e) => matches(e.type));
  return renderObject(ctx.state, paginate(items, page, "/v1/events"), expand);
}
