import { describe, expect, it } from "vitest";
import { asList, canonicalJson, FormParseError, parseForm, parseKeyPath } from "./form";

describe("parseKeyPath", () => {
  it("splits bracket notation", () => {
    expect(parseKeyPath("mode")).toEqual(["mode"]);
    expect(parseKeyPath("line_items[0][price_data][currency]")).toEqual(["line_items", "0", "price_data", "currency"]);
    expect(parseKeyPath("expand[]")).toEqual(["expand", ""]);
  });

  it("rejects malformed names", () => {
    for (const bad of ["[a]", "a[b", "a]b", "a[b]c", "a[][b]"]) expect(() => parseKeyPath(bad), bad).toThrow(FormParseError);
  });
});

describe("parseForm", () => {
  it("parses a Checkout Session body as the SDK encodes it", () => {
    const body = [
      "mode=payment",
      "line_items[0][price_data][currency]=eur",
      "line_items[0][price_data][unit_amount]=4500",
      "line_items[0][price_data][product_data][name]=Coaching%20session%20%E2%80%93%2060%20min",
      "line_items[0][quantity]=1",
      "metadata[bookingId]=bk_1",
      "payment_intent_data[metadata][bookingId]=bk_1",
      "success_url=https%3A%2F%2Fapp.test%2Fok%3Fsession%3D%7BCHECKOUT_SESSION_ID%7D",
      "expand[0]=payment_intent",
    ].join("&");
    expect(parseForm(body)).toEqual({
      mode: "payment",
      line_items: { "0": { price_data: { currency: "eur", unit_amount: "4500", product_data: { name: "Coaching session – 60 min" } }, quantity: "1" } },
      metadata: { bookingId: "bk_1" },
      payment_intent_data: { metadata: { bookingId: "bk_1" } },
      success_url: "https://app.test/ok?session={CHECKOUT_SESSION_ID}",
      expand: { "0": "payment_intent" },
    });
  });

  it("appends with [] and accepts percent-encoded brackets", () => {
    expect(parseForm("expand[]=a&expand[]=b")).toEqual({ expand: ["a", "b"] });
    expect(parseForm("expand%5B%5D=a&metadata%5Bk%5D=v")).toEqual({ expand: ["a"], metadata: { k: "v" } });
  });

  it("decodes + as space, keeps empty values and skips empty pairs", () => {
    expect(parseForm("a=hello+world&b=&&c")).toEqual({ a: "hello world", b: "", c: "" });
    expect(parseForm("")).toEqual({});
  });

  it("treats __proto__ and constructor as plain keys", () => {
    const parsed = parseForm("metadata[__proto__]=x&metadata[constructor]=y");
    expect(Object.keys(parsed.metadata as object)).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("rejects conflicting shapes and bad encoding", () => {
    expect(() => parseForm("a=1&a[b]=2")).toThrow(FormParseError);
    expect(() => parseForm("a[b]=1&a=2")).toThrow(FormParseError);
    expect(() => parseForm("a[]=1&a[b]=2")).toThrow(FormParseError);
    expect(() => parseForm("a=%E0%A4%A")).toThrow(FormParseError);
  });

  it("lets the last plain value win", () => {
    expect(parseForm("a=1&a=2")).toEqual({ a: "2" });
  });
});

describe("asList", () => {
  it("turns index-keyed objects into arrays in index order", () => {
    expect(asList(parseForm("x[1]=b&x[0]=a&x[2]=c").x)).toEqual(["a", "b", "c"]);
    expect(asList(["a"])).toEqual(["a"]);
  });

  it("refuses gaps, non-index keys and scalars", () => {
    expect(asList(parseForm("x[0]=a&x[2]=c").x)).toBeUndefined();
    expect(asList(parseForm("x[a]=1").x)).toBeUndefined();
    expect(asList(parseForm("x[01]=1").x)).toBeUndefined();
    expect(asList("a")).toBeUndefined();
  });
});

describe("canonicalJson", () => {
  it("ignores key order", () => {
    expect(canonicalJson(parseForm("a=1&b[y]=2&b[x]=3"))).toBe(canonicalJson(parseForm("b[x]=3&b[y]=2&a=1")));
    expect(canonicalJson(parseForm("a=1"))).not.toBe(canonicalJson(parseForm("a=2")));
  });
});
