import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { syncCoach } from "@/lib/calcom-sync/sync";
import { findSlots } from "@/lib/booking/slots";
import { db } from "@/lib/db/client";
import { startCalcomEmulator, type CalcomEmulator } from "@/lib/emulators/calcom";
import { createCoach } from "../support/fixtures";

let cal: CalcomEmulator;

beforeAll(async () => {
  cal = await startCalcomEmulator({ apiKey: "cal_test_single_coach", apiKeyUser: { email: "solo@example.com", timeZone: "Europe/Berlin" } });
  for (const key of ["CALCOM_CLIENT_ID", "CALCOM_CLIENT_SECRET"]) delete process.env[key];
  Object.assign(process.env, { CALCOM_API_URL: cal.url, CALCOM_API_KEY: "cal_test_single_coach", CALCOM_WEBHOOK_SECRET: "solo-hook", APP_URL: "http://127.0.0.1:9" });
});
afterEach(() => expect(cal.violations).toEqual([]));
afterAll(async () => cal?.stop());

describe("API-key mode (a single-coach deployment)", () => {
  it("syncs the key owner's schedule and event types, and binds the key to that one coach", async () => {
    const first = await createCoach({ timeZone: "Europe/Berlin", rules: [{ weekday: 2, startMinute: 600, endMinute: 720 }] });
    const result = await syncCoach(first.user.id);
    expect(result.calcomUserId).toBeNull();
    expect(result.eventTypes).toHaveLength(1);
    expect(cal.requests.every((r) => r.auth === "apiKey" || r.auth === "none")).toBe(true);
    const schedule = cal.state.schedules.get(result.scheduleId!)!;
    expect(schedule.ownerId).toBe(cal.apiKeyUser.id);
    // The webhook is subscribed on the key owner's account.
    expect([...cal.state.webhooks.values()].map((w) => w.subscriberUrl)).toEqual(["http://127.0.0.1:9/api/webhooks/calcom"]);

    const from = new Date(Date.now() + 86_400_000);
    const slots = await findSlots({ coachId: first.coach.id, offeringId: first.offerings[0].id, from, to: new Date(from.getTime() + 14 * 86_400_000), timeZone: "UTC" });
    expect(slots.source).toBe("calcom");
    expect(slots.slots.length).toBeGreaterThan(0);

    const second = await createCoach();
    await expect(syncCoach(second.user.id)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("another coach") });
    expect((await db.calcomAccount.findUniqueOrThrow({ where: { coachId: second.coach.id } })).syncStatus).toBe("FAILED");
  });
});
