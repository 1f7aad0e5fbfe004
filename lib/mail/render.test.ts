import { describe, expect, it } from "vitest";
import { renderMail } from "./render";

describe("renderMail", () => {
  const mail = renderMail({
    subject: "Booking confirmed: <b>Career</b> & co",
    heading: "Your session is booked",
    intro: 'Hi "Ann" <script>alert(1)</script>',
    facts: [["When", "Sun 28 Mar 2027, 11:00–12:00 (Europe/Berlin, CEST)"]],
    notes: ["Bring questions."],
    action: { label: "View booking", url: "https://app.example/student/bookings/b1?x=1&y=2" },
    secondaryLinks: [{ label: "Add to Google Calendar", url: "https://calendar.google.com/calendar/render?action=TEMPLATE" }],
  });

  it("escapes every value in the HTML part", () => {
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("Hi &quot;Ann&quot; &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.html).toContain("<title>Booking confirmed: &lt;b&gt;Career&lt;/b&gt; &amp; co</title>");
    expect(mail.html).toContain('href="https://app.example/student/bookings/b1?x=1&amp;y=2"');
  });

  it("is laid out for a phone: viewport, one column of at most 560 px", () => {
    expect(mail.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(mail.html).toContain("max-width:560px");
  });

  it("has a plain-text twin with the same facts and links", () => {
    expect(mail.text).toContain("When: Sun 28 Mar 2027, 11:00–12:00 (Europe/Berlin, CEST)");
    expect(mail.text).toContain("View booking: https://app.example/student/bookings/b1?x=1&y=2");
    expect(mail.text).toContain("Add to Google Calendar: https://calendar.google.com/calendar/render?action=TEMPLATE");
    expect(mail.text).toContain("Bring questions.");
  });
});
