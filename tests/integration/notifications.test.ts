import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import { createBooking } from "@/lib/booking/create";
import { releaseHold, sweepExpiredHolds } from "@/lib/booking/release";
import { requestRefund } from "@/lib/payments/ledger";
import { pastGrace } from "../support/holds";
import { db } from "@/lib/db/client";
import { readAllMessages, type CaughtMessage } from "@/lib/emulators/mail/mailbox";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { drainJobs } from "@/lib/jobs/queue";
import { mailKey, notify } from "@/lib/notifications";
import { createCoach, createStudent, futureHour } from "../support/fixtures";
import { useEmulators } from "../support/emulators";

/**
 * Every mail goes through real SMTP into the local catcher and is read back from its .eml files, as a person's
 * mail client would see it.
 */
const APP_URL = "http://127.0.0.1:3999";
// The links in the mails are built from APP_URL: a fixed one, so the tests can name them.
const { stripe, app, mail: catcher, mailDir: tmp } = useEmulators({ webhooks: true, mail: true, env: { APP_URL } });

beforeEach(() => {
  stripe.faults.reset();
  process.env.SMTP_URL = catcher.url;
});

async function book(start: Date, options: { studentZone?: string; coachZone?: string } = {}) {
  const { coach, user: coachUser, offerings } = await createCoach({ timeZone: options.coachZone ?? "UTC", offerings: [{ title: "Career chat", priceMinor: 5000, currency: "eur" }] });
  const student = await createStudent(options.studentZone ?? "Europe/London");
  const created = await createBooking(student, { offeringId: offerings[0].id, start: start.toISOString(), timeZone: options.studentZone ?? "Europe/London" });
  const booking = await db.booking.findUniqueOrThrow({ where: { id: created.bookingId } });
  return { coach, coachUser, student, booking, sessionId: booking.stripeCheckoutSessionId! };
}

async function payAndSettle(sessionId: string) {
  await stripe.pay(sessionId);
  await stripe.waitForDeliveries();
  await drainJobs(JOB_HANDLERS);
}

/** Messages to one address, oldest first. */
async function mailTo(address: string): Promise<CaughtMessage[]> {
  return (await readAllMessages(tmp)).filter((m) => m.to.includes(address)).reverse();
}

const invite = (m: CaughtMessage) => m.attachments.find((a) => a.contentType === "text/calendar")?.content ?? "";
const icsField = (ics: string, name: string) => new RegExp(`^${name}[:;](.*)$`, "m").exec(ics)?.[1]?.trim();

/** Makes every mail job due now (reminders, retries waiting for their backoff). */
async function dueNow() {
  await db.job.updateMany({ where: { kind: "mail.send", status: "PENDING" }, data: { runAt: new Date(Date.now() - 1000) } });
}

describe("booking confirmed", () => {
  it("mails the student and the coach in their own zones on a DST-change day, with a REQUEST invite", async () => {
    // 28 Mar 2027: Berlin springs forward at 01:00 UTC, so 09:00 UTC is 11:00 CEST (10:00 with last week's offset);
    // New York is already on EDT (05:00).
    const start = new Date("2027-03-28T09:00:00Z");
    const { booking, sessionId, student, coachUser } = await book(start, { studentZone: "Europe/Berlin", coachZone: "America/New_York" });
    await db.user.update({ where: { id: coachUser.id }, data: { timeZone: "America/New_York" } });
    await payAndSettle(sessionId);

    const [toStudent, ...moreToStudent] = await mailTo(student.email);
    expect(moreToStudent).toHaveLength(0);
    expect(toStudent.from).toBe("bookings@coachbook.test");
    expect(toStudent.subject).toBe(`Booking confirmed: Career chat with ${coachUser.name}`);
    expect(toStudent.text).toContain("When: Sun 28 Mar 2027, 11:00–12:00 (Europe/Berlin, CEST)");
    expect(toStudent.text).toContain("Paid: €50.00");
    expect(toStudent.text).toContain(`${APP_URL}/student/bookings/${booking.id}`);
    expect(toStudent.html).toContain("11:00–12:00 (Europe/Berlin, CEST)");
    expect(toStudent.html).toContain('name="viewport"');
    const ics = invite(toStudent);
    expect(icsField(ics, "METHOD")).toBe("REQUEST");
    expect(icsField(ics, "UID")).toBe(`${booking.id}@coachbook`);
    expect(icsField(ics, "SEQUENCE")).toBe("0");
    expect(icsField(ics, "DTSTART")).toBe("20270328T090000Z");

    const [toCoach, ...moreToCoach] = await mailTo(coachUser.email);
    expect(moreToCoach).toHaveLength(0);
    expect(toCoach.subject).toBe(`New booking: Career chat with ${student.name}`);
    expect(toCoach.text).toContain("When: Sun 28 Mar 2027, 05:00–06:00 (America/New_York, EDT)");
    expect(toCoach.text).toContain(`${APP_URL}/coach/bookings/${booking.id}`);
    expect(icsField(invite(toCoach), "UID")).toBe(`${booking.id}@coachbook`);

    // Nothing internal leaks: the only id in the mail is the booking's, inside its link.
    for (const message of [toStudent, toCoach]) {
      expect(message.text).not.toMatch(/cs_test|pi_|sk_test|whsec|evt_/);
      const links = ["student", "coach"].flatMap((who) => [`${APP_URL}/${who}/bookings/${booking.id}`, encodeURIComponent(`${APP_URL}/${who}/bookings/${booking.id}`)]);
      expect(links.reduce((text, link) => text.split(link).join(""), message.text)).not.toContain(booking.id);
    }
    const rows = await db.sentEmail.findMany({ where: { bookingId: booking.id } });
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT"]);
    expect(rows.map((r) => r.messageId).sort()).toEqual([toStudent.messageId, toCoach.messageId].sort());
  });

  it("sends nothing more when every webhook is replayed and every mail job runs again", async () => {
    const { booking, sessionId, student, coachUser } = await book(futureHour(40, 10));
    stripe.faults.duplicateWebhooks = true;
    await payAndSettle(sessionId);
    const before = catcher.accepted();
    expect((await mailTo(student.email)).length + (await mailTo(coachUser.email)).length).toBe(2);

    for (const delivery of [...stripe.events]) await stripe.resendEvent(delivery.eventId);
    await stripe.waitForDeliveries();
    // A job that runs again (a worker that died after sending, a retry): the sent_emails row stops it.
    await db.job.updateMany({ where: { kind: "mail.send", payload: { path: ["bookingId"], equals: booking.id }, status: "DONE" }, data: { status: "PENDING", runAt: new Date(Date.now() - 1000) } });
    await drainJobs(JOB_HANDLERS);
    expect(catcher.accepted()).toBe(before);
    expect(await db.job.count({ where: { dedupeKey: mailKey(booking.id, "booking.confirmed", "student") } })).toBe(1);
  });

  it("retries a mail the SMTP server refused, and sends it once with the same Message-ID", async () => {
    const { booking, sessionId, student } = await book(futureHour(41, 10));
    catcher.faults.failNext(1);
    await payAndSettle(sessionId);
    const key = mailKey(booking.id, "booking.confirmed", "student");
    const row = await db.sentEmail.findUniqueOrThrow({ where: { dedupeKey: key } });
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: key } });
    // One of the two confirmation mails was refused; its job waits for a retry with its row still SENDING.
    const refused = [row, await db.sentEmail.findUniqueOrThrow({ where: { dedupeKey: mailKey(booking.id, "booking.confirmed", "coach") } })].filter((r) => r.status === "SENDING");
    expect(refused).toHaveLength(1);
    expect(job.lastError ?? (await db.job.findUniqueOrThrow({ where: { dedupeKey: refused[0].dedupeKey } })).lastError).toMatch(/Temporary failure/);
    await dueNow();
    await drainJobs(JOB_HANDLERS);
    const after = await db.sentEmail.findUniqueOrThrow({ where: { dedupeKey: refused[0].dedupeKey } });
    expect(after.status).toBe("SENT");
    expect(after.messageId).toBe(refused[0].messageId);
    expect((await mailTo(student.email)).filter((m) => m.subject.startsWith("Booking confirmed"))).toHaveLength(1);
  });

  it("leaves the invite to Cal.com in API-key mode (Cal.com mails its own), so the calendar gets one event", async () => {
    const { booking, sessionId, student } = await book(futureHour(52, 10));
    await payAndSettle(sessionId);
    await db.booking.update({ where: { id: booking.id }, data: { calcomBookingUid: "calcom-uid-api-key-mode" } });
    process.env.CALCOM_API_KEY = "cal_test_mail_api_key_mode";
    try {
      await db.$transaction((tx) => notify(tx, { bookingId: booking.id, event: "booking.cancelled", cancelledBy: "coach", refundAmountMinor: 0 }));
      await drainJobs(JOB_HANDLERS);
    } finally {
      delete process.env.CALCOM_API_KEY;
    }
    const [confirmed, cancelled] = await mailTo(student.email);
    expect(confirmed.attachments.length).toBeGreaterThan(0);
    expect(cancelled.subject).toMatch(/^Cancelled:/);
    expect(cancelled.attachments).toHaveLength(0);
    expect(cancelled.text).not.toMatch(/invite attached/);
    expect(cancelled.text).toContain("Refund: none");
  });

  it("records 'skipped: mail off' without SMTP_URL and never pretends to send", async () => {
    delete process.env.SMTP_URL;
    const { booking, sessionId, student } = await book(futureHour(42, 10));
    const before = catcher.accepted();
    await payAndSettle(sessionId);
    expect(catcher.accepted()).toBe(before);
    const rows = await db.sentEmail.findMany({ where: { bookingId: booking.id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ status: "SKIPPED", note: "skipped: mail off", sentAt: null });
    expect(await mailTo(student.email)).toHaveLength(0);
  });
});

describe("holds that end unpaid", () => {
  it("tells the student when the hold expired, once, with a link to book again", async () => {
    const { booking, student, coachUser } = await book(futureHour(43, 10));
    await db.booking.update({ where: { id: booking.id }, data: { holdExpiresAt: pastGrace() } });
    await sweepExpiredHolds();
    await stripe.waitForDeliveries(); // the checkout.session.expired webhook finds the hold already released
    await drainJobs(JOB_HANDLERS);
    const mails = await mailTo(student.email);
    expect(mails.map((m) => m.subject)).toEqual([`Your hold ended: Career chat with ${coachUser.name}`]);
    expect(mails[0].text).toMatch(/You have not been charged/);
    expect(mails[0].text).toContain(`${APP_URL}/coaches/`);
    expect(mails[0].attachments).toHaveLength(0);
    expect(await mailTo(coachUser.email)).toHaveLength(0);
  });

  it("tells the student when the payment failed", async () => {
    const { sessionId, student } = await book(futureHour(44, 10));
    await stripe.pay(sessionId, { asyncPayment: "failed" });
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);
    expect((await mailTo(student.email)).map((m) => m.subject)).toEqual([expect.stringMatching(/^Payment failed: Career chat/)]);
  });

  it("sends nothing when our own create flow undoes a hold (status CANCELLED)", async () => {
    const { booking, student } = await book(futureHour(45, 10));
    await db.$transaction((tx) => releaseHold(tx, booking.id, "CANCELLED", "undone"));
    await drainJobs(JOB_HANDLERS);
    expect(await mailTo(student.email)).toHaveLength(0);
  });
});

describe("cancellation and refunds", () => {
  it("mails a CANCEL invite with a higher SEQUENCE and the refund, then the refund result once", async () => {
    const { booking, sessionId, student, coachUser } = await book(futureHour(46, 10));
    await payAndSettle(sessionId);
    const payment = await db.payment.findFirstOrThrow({ where: { bookingId: booking.id } });
    // What the coach-cancellation flow does (lib/booking/calcom.ts cancelForCoach), in one transaction.
    await db.$transaction(async (tx) => {
      await tx.booking.update({ where: { id: booking.id }, data: { status: "CANCELLED", cancelledAt: new Date(), cancelReason: "Cancelled by the coach; refunded in full." } });
      await requestRefund(tx, { paymentId: payment.id, amountMinor: null, reason: "coach-cancelled", key: `coach-cancelled:${booking.id}` });
      await notify(tx, { bookingId: booking.id, event: "booking.cancelled", cancelledBy: "coach", refundAmountMinor: 5000 });
    });
    await drainJobs(JOB_HANDLERS);
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);

    const toStudent = await mailTo(student.email);
    expect(toStudent.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Booking confirmed/),
      expect.stringMatching(/^Cancelled: Career chat on /),
      "Refund completed: Career chat",
    ]);
    const cancelled = toStudent[1];
    expect(cancelled.text).toContain(`cancelled by ${coachUser.name}`);
    expect(cancelled.text).toMatch(/Refund: €50\.00 — /);
    expect(icsField(invite(cancelled), "METHOD")).toBe("CANCEL");
    expect(icsField(invite(cancelled), "STATUS")).toBe("CANCELLED");
    expect(icsField(invite(cancelled), "UID")).toBe(`${booking.id}@coachbook`);
    expect(icsField(invite(cancelled), "SEQUENCE")).toBe("1");
    expect(toStudent[2].text).toContain("Refunded: €50.00");
    const toCoach = await mailTo(coachUser.email);
    expect(toCoach.map((m) => m.subject)).toEqual([expect.stringMatching(/^New booking/), expect.stringMatching(/^Cancelled:/)]);
    expect(toCoach[1].text).not.toMatch(/Refund/);

    // Stripe redelivers every refund event: no second refund mail.
    const before = catcher.accepted();
    for (const delivery of stripe.events.filter((e) => e.type.startsWith("refund."))) await stripe.resendEvent(delivery.eventId);
    await stripe.waitForDeliveries();
    await drainJobs(JOB_HANDLERS);
    expect(catcher.accepted()).toBe(before);
  });

  it("tells the student when a refund failed (a signed refund.failed webhook)", async () => {
    const { booking, sessionId, student } = await book(futureHour(47, 10));
    await payAndSettle(sessionId);
    const payment = await db.payment.findFirstOrThrow({ where: { bookingId: booking.id } });
    const event = {
      id: "evt_refund_failed_mail",
      object: "event",
      type: "refund.failed",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "re_failed_mail", object: "refund", amount: 5000, currency: "eur", status: "failed", payment_intent: payment.stripePaymentIntentId, metadata: { reason: "coach-cancelled" } } },
    };
    const body = JSON.stringify(event);
    const post = () => fetch(`${app.url}/api/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripe.webhookSecret }) }, body });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    await drainJobs(JOB_HANDLERS);
    const subjects = (await mailTo(student.email)).map((m) => m.subject);
    expect(subjects.filter((s) => s === "Refund failed: Career chat")).toHaveLength(1);
    expect((await mailTo(student.email)).at(-1)!.text).toContain("Amount: €50.00");
  });
});

describe("reschedule (events the reschedule flow calls)", () => {
  it("mails the old and new time with a REQUEST of a higher SEQUENCE, and moves the reminder", async () => {
    const oldStart = futureHour(48, 10);
    const { booking, sessionId, student, coachUser } = await book(oldStart);
    await payAndSettle(sessionId);
    const newStart = new Date(oldStart.getTime() + 2 * 3_600_000);
    await db.$transaction(async (tx) => {
      await tx.booking.update({ where: { id: booking.id }, data: { startsAt: newStart, endsAt: new Date(newStart.getTime() + 3_600_000), blockedFrom: newStart, blockedUntil: new Date(newStart.getTime() + 3_600_000) } });
      await notify(tx, { bookingId: booking.id, event: "booking.rescheduled", previousStartsAt: oldStart.toISOString(), previousEndsAt: new Date(oldStart.getTime() + 3_600_000).toISOString(), differenceMinor: -1000 });
    });
    await drainJobs(JOB_HANDLERS);
    const moved = (await mailTo(student.email)).at(-1)!;
    expect(moved.subject).toMatch(/^Rescheduled: Career chat — now /);
    const london = (d: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit" }).format(d);
    expect(moved.text).toContain(`New time: `);
    expect(moved.text).toMatch(new RegExp(`New time: .*${london(newStart)}–`));
    expect(moved.text).toMatch(new RegExp(`Was: .*${london(oldStart)}–`));
    expect(moved.text).toContain("Difference refunded: €10.00");
    expect(icsField(invite(moved), "METHOD")).toBe("REQUEST");
    expect(icsField(invite(moved), "SEQUENCE")).toBe("1");
    expect((await mailTo(coachUser.email)).at(-1)!.subject).toMatch(/^Rescheduled/);

    // Reminders: the old time's reminder is skipped when it comes due; the new time's is sent, once, to each.
    const reminders = await db.job.findMany({ where: { kind: "mail.send", payload: { path: ["event"], equals: "booking.reminder" }, AND: { payload: { path: ["bookingId"], equals: booking.id } } } });
    expect(reminders).toHaveLength(4);
    const newReminderRunAt = new Date(newStart.getTime() - 24 * 3_600_000).getTime();
    expect(reminders.filter((r) => r.runAt.getTime() === newReminderRunAt)).toHaveLength(2);
    await dueNow();
    await drainJobs(JOB_HANDLERS);
    await dueNow();
    await drainJobs(JOB_HANDLERS);
    const studentReminders = (await mailTo(student.email)).filter((m) => m.subject.startsWith("Tomorrow:"));
    expect(studentReminders).toHaveLength(1);
    expect(studentReminders[0].text).toMatch(new RegExp(`When: .*${london(newStart)}–`));
    const skipped = await db.sentEmail.findMany({ where: { bookingId: booking.id, status: "SKIPPED" } });
    expect(skipped.map((s) => s.note)).toEqual(["skipped: booking moved", "skipped: booking moved"]);
  });

  it("asks the student to pay a difference", async () => {
    const { booking, sessionId, student } = await book(futureHour(49, 10));
    await payAndSettle(sessionId);
    await notify(db, { bookingId: booking.id, event: "reschedule.payment_needed", amountMinor: 1500, payUrl: "https://checkout.example/pay", discriminator: "attempt-1" });
    await drainJobs(JOB_HANDLERS);
    const mail = (await mailTo(student.email)).at(-1)!;
    expect(mail.subject).toBe("Payment needed to reschedule: Career chat");
    expect(mail.text).toContain("To pay: €15.00");
    expect(mail.text).toContain("Pay the difference: https://checkout.example/pay");
  });
});

describe("the 24-hour reminder", () => {
  it("is scheduled 24 h before, sent once to both, and not for a cancelled booking", async () => {
    const start = futureHour(50, 10);
    const { booking, sessionId, student, coachUser } = await book(start);
    await payAndSettle(sessionId);
    const jobs = await db.job.findMany({ where: { kind: "mail.send", status: "PENDING", payload: { path: ["bookingId"], equals: booking.id } } });
    expect(jobs.map((j) => j.runAt.getTime())).toEqual([start.getTime() - 86_400_000, start.getTime() - 86_400_000]);
    await dueNow();
    await drainJobs(JOB_HANDLERS);
    await db.job.updateMany({ where: { kind: "mail.send", payload: { path: ["bookingId"], equals: booking.id } }, data: { status: "PENDING", runAt: new Date(Date.now() - 1000) } });
    await drainJobs(JOB_HANDLERS);
    expect((await mailTo(student.email)).filter((m) => m.subject.startsWith("Tomorrow:"))).toHaveLength(1);
    expect((await mailTo(coachUser.email)).filter((m) => m.subject === `Tomorrow: Career chat with ${student.name}`)).toHaveLength(1);

    const other = await book(futureHour(51, 10));
    await payAndSettle(other.sessionId);
    await db.booking.update({ where: { id: other.booking.id }, data: { status: "CANCELLED" } });
    await dueNow();
    await drainJobs(JOB_HANDLERS);
    expect((await mailTo(other.student.email)).filter((m) => m.subject.startsWith("Tomorrow:"))).toHaveLength(0);
    const notes = (await db.sentEmail.findMany({ where: { bookingId: other.booking.id, event: "booking.reminder" } })).map((r) => r.note);
    expect(notes).toEqual(["skipped: booking no longer confirmed", "skipped: booking no longer confirmed"]);
  });

  it("is not scheduled for a session booked less than 24 h ahead", async () => {
    const start = new Date(Math.ceil((Date.now() + 5 * 3_600_000) / 3_600_000) * 3_600_000);
    const { booking, sessionId } = await book(start);
    await payAndSettle(sessionId);
    expect(await db.job.count({ where: { kind: "mail.send", payload: { path: ["event"], equals: "booking.reminder" }, AND: { payload: { path: ["bookingId"], equals: booking.id } } } })).toBe(0);
    expect(await db.sentEmail.count({ where: { bookingId: booking.id, event: "booking.confirmed", status: "SENT" } })).toBe(2);
  });
});
