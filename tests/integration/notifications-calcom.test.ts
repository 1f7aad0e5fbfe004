import { describe, expect, it } from "vitest";
import { createBooking } from "@/lib/booking/create";
import { findSlots } from "@/lib/booking/slots";
import { coachApi } from "@/lib/calcom-sync/client";
import { syncCoach } from "@/lib/calcom-sync/sync";
import { db } from "@/lib/db/client";
import { readAllMessages } from "@/lib/emulators/mail/mailbox";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { drainJobs } from "@/lib/jobs/queue";
import { createCoach, createStudent } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

/** The coach cancels a paid booking in Cal.com (lib/booking/calcom.ts cancelForCoach): both sides are told once. */
const { cal, stripe, app, mailDir: tmp } = useEmulators({ webhooks: true, calcom: {}, mail: true });

describe("coach cancels in Cal.com", () => {
  it("mails the student (refund and its state, CANCEL invite) and the coach once, despite duplicated webhooks", async () => {
    const fixture = await createCoach({ timeZone: "Europe/Berlin", rules: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })), offerings: [{ title: "Alpha", durationMinutes: 60 }] });
    await syncCoach(fixture.user.id);
    const student = await createStudent("Asia/Tokyo");
    const from = new Date(Date.now() + 2 * 86_400_000);
    const slots = await findSlots({ coachId: fixture.coach.id, offeringId: fixture.offerings[0].id, from, to: new Date(from.getTime() + 7 * 86_400_000), timeZone: "UTC" });
    const created = await createBooking(student, { offeringId: fixture.offerings[0].id, start: slots.slots[2].start, timeZone: "Asia/Tokyo" });
    const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
    await stripe.pay(booking.stripeCheckoutSessionId!);
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);

    cal.faults.duplicateWebhooks(5);
    const api = await coachApi(fixture.coach.id);
    await api.bookings.cancel(booking.calcomBookingUid!, { cancellationReason: "Sick" });
    await cal.webhooks.idle();
    await drainJobs(JOB_HANDLERS);
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);

    const messages = (await readAllMessages(tmp)).reverse();
    const toStudent = messages.filter((m) => m.to.includes(student.email));
    expect(toStudent.map((m) => m.subject)).toEqual([expect.stringMatching(/^Booking confirmed/), expect.stringMatching(/^Cancelled: Alpha/), "Refund completed: Alpha"]);
    expect(toStudent[1].text).toContain(`cancelled by ${fixture.user.name}`);
    expect(toStudent[1].text).toMatch(/Refund: €50\.00 — /);
    expect(toStudent[1].text).toMatch(/\(Asia\/Tokyo, GMT\+9\)/);
    const cancelInvite = toStudent[1].attachments.find((a) => a.contentType === "text/calendar")!;
    expect(cancelInvite.method).toBe("CANCEL");
    expect(cancelInvite.content).toMatch(new RegExp(`^UID:${booking.id}@coachbook`, "m"));
    expect(cancelInvite.content).toMatch(/^SEQUENCE:1/m);
    const toCoach = messages.filter((m) => m.to.includes(fixture.user.email));
    expect(toCoach.map((m) => m.subject)).toEqual([expect.stringMatching(/^New booking/), expect.stringMatching(/^Cancelled: Alpha/)]);
    expect(toCoach[1].text).toMatch(/\(Europe\/Berlin, CES?T\)/);
  });
});
