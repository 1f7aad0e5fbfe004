import { describe, expect, it } from "vitest";
import { buildInvite, googleCalendarUrl } from "./ics";

const base = {
  bookingId: "cmbooking1",
  title: "Career chat — Maya & Sam",
  description: "Coachbook session. Booking: https://app.example/student/bookings/cmbooking1",
  startsAt: new Date("2027-03-28T09:00:00Z"),
  endsAt: new Date("2027-03-28T10:00:00Z"),
  url: "https://app.example/student/bookings/cmbooking1",
  organizer: { name: "Coachbook", email: "bookings@coachbook.test" },
  attendees: [{ name: "Sam", email: "sam@example.com" }],
};

describe("buildInvite", () => {
  it("writes one event with the booking's UID, the given SEQUENCE and METHOD, in UTC", () => {
    const ics = buildInvite({ ...base, sequence: 3, method: "REQUEST" });
    expect(ics).toMatch(/^METHOD:REQUEST\r?$/m);
    expect(ics).toMatch(/^UID:cmbooking1@coachbook\r?$/m);
    expect(ics).toMatch(/^SEQUENCE:3\r?$/m);
    expect(ics).toMatch(/^DTSTART:20270328T090000Z\r?$/m);
    expect(ics).toMatch(/^DTEND:20270328T100000Z\r?$/m);
    expect(ics).toMatch(/^STATUS:CONFIRMED\r?$/m);
    expect(ics).toMatch(/^ORGANIZER;CN="Coachbook":mailto:bookings@coachbook.test\r?$/m);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });

  it("cancels the same event with METHOD:CANCEL and STATUS:CANCELLED", () => {
    const ics = buildInvite({ ...base, sequence: 4, method: "CANCEL" });
    expect(ics).toMatch(/^METHOD:CANCEL\r?$/m);
    expect(ics).toMatch(/^STATUS:CANCELLED\r?$/m);
    expect(ics).toMatch(/^UID:cmbooking1@coachbook\r?$/m);
  });
});

describe("googleCalendarUrl", () => {
  it("links Google's event template with UTC times", () => {
    const url = new URL(googleCalendarUrl({ title: "Career chat", startsAt: base.startsAt, endsAt: base.endsAt, details: base.url }));
    expect(url.origin + url.pathname).toBe("https://calendar.google.com/calendar/render");
    expect(url.searchParams.get("action")).toBe("TEMPLATE");
    expect(url.searchParams.get("dates")).toBe("20270328T090000Z/20270328T100000Z");
    expect(url.searchParams.get("text")).toBe("Career chat");
  });
});
