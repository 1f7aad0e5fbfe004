import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { computeSignature, generateWebhookSecret, signatureHeader } from "./signature";

const stripe = new Stripe("sk_test_unit");
const secret = "whsec_test_secret";

describe("signatureHeader", () => {
  it("has Stripe's t=…,v1=… format over `${t}.${payload}`", () => {
    const header = signatureHeader('{"id":"evt_1"}', secret, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(header).toBe(`t=1700000000,v1=${computeSignature('{"id":"evt_1"}', secret, 1_700_000_000)}`);
  });

  it("matches the SDK's own test header generator byte for byte", () => {
    const payload = JSON.stringify({ id: "evt_1", object: "event" }, null, 2);
    const timestamp = Math.floor(Date.now() / 1000);
    expect(signatureHeader(payload, secret, timestamp)).toBe(stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }));
  });

  it("is accepted by stripe.webhooks.constructEvent, and rejected for a changed body or wrong secret", () => {
    const payload = JSON.stringify({ id: "evt_2", object: "event", type: "checkout.session.completed", data: { object: {} } }, null, 2);
    const header = signatureHeader(payload, secret);
    expect(stripe.webhooks.constructEvent(payload, header, secret).id).toBe("evt_2");
    expect(() => stripe.webhooks.constructEvent(payload.replace("evt_2", "evt_3"), header, secret)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(payload, header, "whsec_other")).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it("signs non-ASCII bodies as UTF-8 like the SDK verifies them", () => {
    const payload = JSON.stringify({ id: "evt_3", name: "Séance – Zoë ☕" });
    expect(stripe.webhooks.constructEvent(Buffer.from(payload, "utf8"), signatureHeader(payload, secret), secret).id).toBe("evt_3");
  });

  it("generates whsec_ secrets", () => {
    expect(generateWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
  });
});
