import { afterEach, describe, expect, it } from "vitest";
import { syncCoach } from "@/lib/calcom-sync/sync";
import { findSlots } from "@/lib/booking/slots";
import { db } from "@/lib/db/client";
import { createCoach } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

const { cal } = useEmulators({ stripe: false, calcom: { apiKey: "cal_test_single_coach", apiKeyUser: { email: "solo@example.com", timeZone: "Europe/Berlin" }, webhookSecret: "solo-hook" } });
afterEach(() => expect(cal.violations).toEqual([]));

describe("API-key mode (a single-coach deployment)", () => {
  it("binds the key to the coach named in CALCOM_API_KEY_COACH_EMAIL, in its own schedule, never the key owner's default", async () => {
    const early = await createCoach(); // a self-registered coach who presses Sync first
    const first = await createCoach({ timeZone: "Europe/Berlin", rules: [{ weekday: 2, startMinute: 600, endMinute: 720 }] });
    delete process.env.CALCOM_API_KEY_COACH_EMAIL;
    await expect(syncCoach(first.user.id)).rejects.toMatchObject({ code: "INTEGRATION_NOT_CONFIGURED", message: expect.stringContaining("CALCOM_API_KEY_COACH_EMAIL") });
    process.env.CALCOM_API_KEY_COACH_EMAIL = first.user.email.toUpperCase();
    await expect(syncCoach(early.user.id)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("another coach") });

    const ownerDefault = cal.apiKeyUser.defaultScheduleId!;
    const ownerDefaultBefore = structuredClone(cal.state.schedules.get(ownerDefault));
    const result = await syncCoach(first.user.id);
    expect(result.calcomUserId).toBeNull();
    expect(result.eventTypes).toHaveLength(1);
    expect(cal.requests.every((r) => r.auth === "apiKey" || r.auth === "none")).toBe(true);
    const schedule = cal.state.schedules.get(result.scheduleId!)!;
    expect(schedule.ownerId).toBe(cal.apiKeyUser.id);
    // Our own schedule; the key owner's default ("Working hours") is untouched and still the default.
    expect(result.scheduleId).not.toBe(ownerDefault);
    expect(cal.apiKeyUser.defaultScheduleId).toBe(ownerDefault);
    expect(cal.state.schedules.get(ownerDefault)).toEqual(ownerDefaultBefore);
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

  it("replaces the webhook subscription when CALCOM_WEBHOOK_SECRET changes, and leaves it alone otherwise", async () => {
    const coach = await createCoach();
    process.env.CALCOM_API_KEY_COACH_EMAIL = coach.user.email;
    for (const id of [...cal.state.webhooks.keys()]) cal.state.webhooks.delete(id);
    await syncCoach(coach.user.id);
    const secrets = () => [...cal.state.webhooks.values()].map((w) => w.secret);
    expect(secrets()).toEqual(["solo-hook"]);
    const again = await syncCoach(coach.user.id);
    expect(again.remoteWrites).toBe(0);
    process.env.CALCOM_WEBHOOK_SECRET = "rotated-hook";
    try {
      const rotated = await syncCoach(coach.user.id);
      expect(rotated.remoteWrites).toBe(2); // the stale subscription deleted, a new one created
      expect(secrets()).toEqual(["rotated-hook"]);
      expect((await syncCoach(coach.user.id)).remoteWrites).toBe(0);
    } finally {
      process.env.CALCOM_WEBHOOK_SECRET = "solo-hook";
    }
  });
});
