import { afterAll, describe, expect, it } from "vitest";
import { actAs, jsonRequest } from "../support/session";
import { GET as bookingIcs } from "@/app/api/bookings/[id]/ics/route";
import { db } from "@/lib/db/client";
import { createCoach, createStudent, futureHour } from "../support/fixtures";

afterAll(() => actAs(null));

async function confirmedBooking(status: "CONFIRMED" | "PENDING_PAYMENT" = "CONFIRMED") {
  const { coach, user: coachUser, offerings } = await createCoach();
  const student = await createStudent();
  const startsAt = futureHour(5, 14);
  const endsAt = new Date(startsAt.getTime() + 3_600_000);
  const booking = await db.booking.create({
    data: {
      coachId: coach.id, studentId: student.id, offeringId: offerings[0].id, status, startsAt, endsAt, blockedFrom: startsAt, blockedUntil: endsAt,
      studentTimeZone: "Europe/London", title: "Deep dive", priceMinor: 5000, currency: "eur", policy: {}, icsSequence: 2,
      confirmedAt: status === "CONFIRMED" ? new Date() : null,
    },
  });
  return { booking, student, coachUser };
}

const as = (u: { id: string; name: string; email: string; timeZone: string }, role: "STUDENT" | "COACH" | "ADMIN") => actAs({ id: u.id, name: u.name, email: u.email, role, timeZone: u.timeZone });
const get = (id: string) => bookingIcs(jsonRequest(`/api/bookings/${id}/ics`), { params: Promise.resolve({ id }) });

describe("GET /api/bookings/[id]/ics", () => {
  it("gives the student, the coach and an admin the booking's event with its UID and current SEQUENCE", async () => {
    const { booking, student, coachUser } = await confirmedBooking();
    for (const [user, role] of [[student, "STUDENT"], [coachUser, "COACH"], [await createStudent(), "ADMIN"]] as const) {
      as(user, role);
      const response = await get(booking.id);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/calendar/);
      expect(response.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.ics"/);
      const ics = await response.text();
      expect(ics).toMatch(new RegExp(`^UID:${booking.id}@coachbook`, "m"));
      expect(ics).toMatch(/^SEQUENCE:2/m);
      expect(ics).toMatch(/^METHOD:PUBLISH/m);
      expect(ics).toContain(`DTSTART:${booking.startsAt.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`);
    }
  });

  it("answers 404 to anyone else, to an unknown id and for an unpaid hold; 401 when signed out", async () => {
    const { booking } = await confirmedBooking();
    as(await createStudent(), "STUDENT");
    expect((await get(booking.id)).status).toBe(404);
    const other = await createCoach();
    as(other.user, "COACH");
    expect((await get(booking.id)).status).toBe(404);
    expect((await get("no-such-booking")).status).toBe(404);
    const pending = await confirmedBooking("PENDING_PAYMENT");
    as(pending.student, "STUDENT");
    expect((await get(pending.booking.id)).status).toBe(404);
    actAs(null);
    expect((await get(booking.id)).status).toBe(401);
  });
});
