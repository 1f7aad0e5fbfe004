import type { EmulatorContext } from "../context";
import { resourceMissing } from "../errors";
import { paginate, readPageParams, renderObject } from "../expand";
import { ID_PREFIXES, newId } from "../ids";
import { createMetadata, mergeMetadata, type ParamReader } from "../params";
import type { CustomerObject, ListObject, PaymentMethodObject } from "../types";

export function requireCustomer(ctx: EmulatorContext, id: string, param = "id"): CustomerObject {
  const customer = ctx.state.customers.get(id);
  if (!customer) throw resourceMissing("customer", id, param);
  return customer;
}

export function insertCustomer(ctx: EmulatorContext, fields: { email: string | null; name?: string | null; metadata?: Record<string, string> }): CustomerObject {
  const customer: CustomerObject = {
    id: newId(ID_PREFIXES.customer, 14),
    object: "customer",
    livemode: false,
    created: ctx.clock.now(),
    email: fields.email,
    name: fields.name ?? null,
    phone: null,
    description: null,
    metadata: fields.metadata ?? {},
    balance: 0,
    currency: null,
    default_source: null,
    delinquent: false,
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    shipping: null,
  };
  ctx.state.customers.set(customer.id, customer);
  return customer;
}

const IGNORED = ["address", "shipping", "preferred_locales", "tax_exempt", "invoice_prefix", "tax", "tax_id_data", "validate"];

export function createCustomer(ctx: EmulatorContext, p: ParamReader): CustomerObject {
  const email = p.string("email", { maxLength: 512 }) ?? null;
  const name = p.string("name", { maxLength: 256 }) ?? null;
  const phone = p.string("phone", { maxLength: 20 }) ?? null;
  const description = p.string("description", { maxLength: 350 }) ?? null;
  const metadata = createMetadata(p.metadata());
  const expand = p.expand();
  p.ignore(...IGNORED).done();
  const customer = insertCustomer(ctx, { email, name, metadata });
  customer.phone = phone;
  customer.description = description;
  return renderObject(ctx.state, customer, expand);
}

export function retrieveCustomer(ctx: EmulatorContext, id: string, p: ParamReader): CustomerObject {
  const expand = p.expand();
  p.done();
  return renderObject(ctx.state, requireCustomer(ctx, id), expand);
}

export function updateCustomer(ctx: EmulatorContext, id: string, p: ParamReader): CustomerObject {
  const email = p.string("email", { emptyable: true });
  const name = p.string("name", { emptyable: true });
  const phone = p.string("phone", { emptyable: true });
  const description = p.string("description", { emptyable: true });
  const metadata = p.metadata();
  const defaultPm = p.object("invoice_settings")?.string("default_payment_method", { emptyable: true });
  const expand = p.expand();
  p.ignore(...IGNORED).done();
  const customer = requireCustomer(ctx, id);
  if (email !== undefined) customer.email = email || null;
  if (name !== undefined) customer.name = name || null;
  if (phone !== undefined) customer.phone = phone || null;
  if (description !== undefined) customer.description = description || null;
  if (defaultPm !== undefined) customer.invoice_settings.default_payment_method = defaultPm || null;
  customer.metadata = mergeMetadata(customer.metadata, metadata);
  return renderObject(ctx.state, customer, expand);
}

export function listCustomers(ctx: EmulatorContext, p: ParamReader): ListObject<CustomerObject> {
  const email = p.string("email");
  const page = readPageParams(p);
  const expand = p.expand();
  p.ignore("created").done();
  const items = [...ctx.state.customers.values()].reverse().filter((c) => email === undefined || c.email === email);
  return renderObject(ctx.state, paginate(items, page, "/v1/customers"), expand);
}

export function listCustomerPaymentMethods(ctx: EmulatorContext, id: string, p: ParamReader): ListObject<PaymentMethodObject> {
  p.enum("type", ["card"]);
  const page = readPageParams(p);
  const expand = p.expand();
  p.ignore("allow_redisplay").done();
  requireCustomer(ctx, id);
  const items = [...ctx.state.paymentMethods.values()].reverse().filter((pm) => pm.customer === id);
  return renderObject(ctx.state, paginate(items, page, `/v1/customers/${id}/payment_methods`), expand);
}
