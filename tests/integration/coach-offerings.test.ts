import { beforeAll, describe, expect, it, vi } from "vitest";
import { actAs, jsonRequest, noParams } from "../support/session";

const hook = vi.hoisted(() => ({ calls: [] as string[], fail: false }));
vi.mock("@/lib/coaches/hooks", () => ({
  onOfferingSaved: async (offeringId: string) => {
    hook.calls.push(offeringId);
    if (hook.fail) throw new Error("Cal.com is down");
  },
}));

import { GET, POST } from "@/app/api/coach/offerings/route";
import { PATCH } from "@/app/api/coach/offerings/[id]/route";
import type { SessionUser } from "@/lib/auth/session";
import { createAccount } from "@/lib/accounts/service";
import { db } from "@/lib/db/client";

let coach: SessionUser;
let otherCoach: SessionUser;
let student: SessionUser;

async function account(role: "COACH" | "STUDENT", email: string): Promise<SessionUser> {
  const created = await createAccount({ role, name: `${role} ${email}`, email, password: "long-enough-pw", timeZone: "Europe/Berlin" });
  return { id: created.id, name: created.name, email: created.email, role: created.role, timeZone: created.timeZone };
}

const deepDive = { title: "Deep dive", description: "Two topics, in depth.", durationMinutes: 90, price: "120.00", currency: "EUR" };

const list = () => GET(jsonRequest("/api/coach/offerings"), noParams);
const create = (body: unknown) => POST(jsonRequest("/api/coach/offerings", body), noParams);
const patch = (id: string, body: unknown) =>
  PATCH(jsonRequest(`/api/coach/offerings/${id}`, body, { method: "PATCH" }), { params: Promise.resolve({ id }) });

beforeAll(async () => {
  coach = await account("COACH", "offer.coach@example.com");
  otherCoach = await account("COACH", "offer.other@example.com");
  student = await account("STUDENT", "offer.student@example.com");
});

describe("offering routes: access", () => {
  it("answers 401 signed out and 403 for a student, on every method", async () => {
    actAs(null);
    expect((await list()).status).toBe(401);
    expect((await create(deepDive)).status).toBe(401);
    expect((await patch("anything", { active: false })).status).toBe(401);
    actAs(student);
    expect((await list()).status).toBe(403);
    expect((await create(deepDive)).status).toBe(403);
    expect((await patch("anything", { active: false })).status).toBe(403);
  });

  it("gives a coach without offerings an empty list", async () => {
    actAs(otherCoach);
    const response = await list();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ offerings: [] });
  });
});

describe("creating and listing", () => {
  it("creates an offering with the price in minor units of its currency and calls the hook", async () => {
    actAs(coach);
    hook.calls.length = 0;
    const response = await create(deepDive);
    expect(response.status).toBe(201);
    const { offering } = await response.json();
    expect(offering).toMatchObject({
      title: "Deep dive",
      durationMinutes: 90,
      priceMinor: 12000,
      currency: "eur",
      price: "120.00",
      priceFormatted: "€120.00",
      active: true,
    });
    expect(hook.calls).toEqual([offering.id]);
    const stored = await db.offering.findUniqueOrThrow({ where: { id: offering.id } });
    expect([stored.priceMinor, stored.currency]).toEqual([12000, "eur"]);

    const yen = await (await create({ ...deepDive, title: "Tokyo hour", price: "5000", currency: "jpy" })).json();
    expect(yen.offering).toMatchObject({ priceMinor: 5000, currency: "jpy", priceFormatted: "¥5,000", price: "5000" });

    const listed = await (await list()).json();
    expect(listed.offerings.map((o: { title: string }) => o.title)).toEqual(["Deep dive", "Tokyo hour"]);
  });

  it("answers 400 with field paths and creates nothing", async () => {
    actAs(coach);
    const before = await db.offering.count();
    const response = await create({ title: "x", durationMinutes: 600, price: "12.345", currency: "eur" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("VALIDATION");
    expect(body.error.details.fields).toEqual({
      title: "Enter a title (at least 2 characters).",
      durationMinutes: "A session lasts at most 480 minutes (8 hours).",
      price: "EUR prices have at most 2 decimals.",
    });
    const yen = await (await create({ ...deepDive, price: "50.5", currency: "JPY" })).json();
    expect(yen.error.details.fields).toEqual({ price: "JPY prices are whole numbers; remove the decimals." });
    expect(await db.offering.count()).toBe(before);
  });

  it("keeps the save when the integration hook fails", async () => {
    actAs(coach);
    hook.fail = true;
    try {
      const response = await create({ ...deepDive, title: "Hook fails" });
      expect(response.status).toBe(201);
    } finally {
      hook.fail = false;
    }
    expect(await db.offering.count({ where: { title: "Hook fails" } })).toBe(1);
  });
});

describe("updating, deactivating and reactivating", () => {
  it("applies a partial update and re-checks the price against the stored currency", async () => {
    actAs(coach);
    const { offering } = await (await create({ ...deepDive, title: "Editable" })).json();
    hook.calls.length = 0;

    const renamed = await patch(offering.id, { title: "Edited", durationMinutes: 60 });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).offering).toMatchObject({ title: "Edited", durationMinutes: 60, priceMinor: 12000, description: deepDive.description });
    expect(hook.calls).toEqual([offering.id]);

    const repriced = await (await patch(offering.id, { price: "99,5" })).json();
    expect(repriced.offering).toMatchObject({ priceMinor: 9950, priceFormatted: "€99.50" });

    const tooPrecise = await patch(offering.id, { price: "99.999" });
    expect(tooPrecise.status).toBe(400);
    expect((await tooPrecise.json()).error.details.fields).toEqual({ price: "EUR prices have at most 2 decimals." });

    const currencyAlone = await patch(offering.id, { currency: "jpy" });
    expect(currencyAlone.status).toBe(400);
    expect((await currencyAlone.json()).error.details.fields).toEqual({ price: "Enter the price in JPY when changing the currency." });

    const toYen = await (await patch(offering.id, { currency: "jpy", price: "15000" })).json();
    expect(toYen.offering).toMatchObject({ currency: "jpy", priceMinor: 15000, priceFormatted: "¥15,000" });

    const empty = await patch(offering.id, {});
    expect(empty.status).toBe(400);
  });

  it("deactivates and reactivates; the list keeps inactive offerings, after the active ones", async () => {
    actAs(coach);
    const { offering } = await (await create({ ...deepDive, title: "Seasonal" })).json();
    const off = await (await patch(offering.id, { active: false })).json();
    expect(off.offering.active).toBe(false);
    const listed = (await (await list()).json()).offerings as { id: string; active: boolean }[];
    expect(listed.find((o) => o.id === offering.id)?.active).toBe(false);
    expect(listed.at(-1)?.id).toBe(offering.id);
    const on = await (await patch(offering.id, { active: true })).json();
    expect(on.offering.active).toBe(true);
  });

  it("answers 404 for another coach's offering and for an unknown id, changing nothing", async () => {
    actAs(coach);
    const { offering } = await (await create({ ...deepDive, title: "Mine" })).json();
    actAs(otherCoach);
    hook.calls.length = 0;
    const foreign = await patch(offering.id, { active: false, title: "Stolen" });
    expect(foreign.status).toBe(404);
    const unknown = await patch("does-not-exist", { active: false });
    expect(unknown.status).toBe(404);
    // Same answer whether the offering exists or not.
    expect(await foreign.json()).toEqual(await unknown.json());
    expect(hook.calls).toEqual([]);
    const stored = await db.offering.findUniqueOrThrow({ where: { id: offering.id } });
    expect([stored.title, stored.active]).toEqual(["Mine", true]);
    expect((await (await list()).json()).offerings).toEqual([]);
  });
});
