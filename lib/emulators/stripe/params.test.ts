import { describe, expect, it } from "vitest";
import { StripeEmulatorError } from "./errors";
import { parseForm } from "./form";
import { mergeMetadata, ParamReader } from "./params";

function reader(body: string): ParamReader {
  return new ParamReader(parseForm(body));
}

function errorOf(fn: () => unknown): StripeEmulatorError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StripeEmulatorError) return error;
    throw error;
  }
  throw new Error("expected a StripeEmulatorError");
}

describe("ParamReader", () => {
  it("reads typed values and nested objects", () => {
    const p = reader("amount=4500&confirm=true&customer=cus_1&transfer_data[destination]=acct_1&expand[0]=latest_charge");
    expect(p.integer("amount", { required: true, min: 1 })).toBe(4500);
    expect(p.boolean("confirm")).toBe(true);
    expect(p.string("customer")).toBe("cus_1");
    expect(p.object("transfer_data")?.requiredString("destination")).toBe("acct_1");
    expect(p.expand()).toEqual(["latest_charge"]);
    expect(() => p.done()).not.toThrow();
  });

  it("reports unknown parameters with their bracket name, nested ones included", () => {
    const top = reader("amount=1&amonut=2");
    top.integer("amount");
    expect(errorOf(() => top.done()).body).toMatchObject({ code: "parameter_unknown", param: "amonut", message: "Received unknown parameter: amonut" });

    const nested = reader("line_items[0][price_data][currency]=eur&line_items[0][price_data][colour]=red");
    nested.objectList("line_items")?.[0].object("price_data")?.string("currency");
    expect(errorOf(() => nested.done()).body.param).toBe("line_items[0][price_data][colour]");
  });

  it("uses Stripe's codes for missing, empty and malformed values", () => {
    expect(errorOf(() => reader("").requiredString("currency")).body).toMatchObject({ code: "parameter_missing", param: "currency", message: "Missing required param: currency." });
    expect(errorOf(() => reader("currency=").string("currency")).body.code).toBe("parameter_invalid_empty");
    expect(errorOf(() => reader("amount=12.5").integer("amount")).body).toMatchObject({ code: "parameter_invalid_integer", message: "Invalid integer: 12.5" });
    expect(errorOf(() => reader("amount=0").integer("amount", { min: 1 })).body.code).toBe("parameter_invalid_integer");
    expect(errorOf(() => reader("confirm=yes").boolean("confirm")).body.message).toBe("Invalid boolean: yes");
    expect(errorOf(() => reader("mode=subscriptions").enum("mode", ["payment", "subscription"])).status).toBe(400);
    expect(errorOf(() => reader("metadata[a][b]=c").metadata()).body.param).toBe("metadata[a]");
  });

  it("validation errors are not stored for idempotent replay", () => {
    expect(errorOf(() => reader("").requiredString("currency")).storeForIdempotency).toBe(false);
  });

  it("enforces metadata limits", () => {
    const long = "k".repeat(41);
    expect(errorOf(() => reader(`metadata[${long}]=v`).metadata()).body.param).toBe(`metadata[${long}]`);
    const many = Array.from({ length: 51 }, (_, i) => `metadata[k${i}]=v`).join("&");
    expect(errorOf(() => reader(many).metadata()).status).toBe(400);
  });
});

describe("mergeMetadata", () => {
  it("sets keys, removes keys given as empty strings, and clears everything with metadata=''", () => {
    expect(mergeMetadata({ a: "1", b: "2" }, { b: "", c: "3" })).toEqual({ a: "1", c: "3" });
    expect(mergeMetadata({ a: "1" }, {})).toEqual({});
    expect(mergeMetadata({ a: "1" }, undefined)).toEqual({ a: "1" });
  });
});
