import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";

/**
 * RFC 5545 invites for a booking (ical-generator writes them). One event per booking, UID `<bookingId>@coachbook`,
 * so calendars update that one event; SEQUENCE is the booking's ics_sequence, raised on every reschedule and
 * cancellation, so a newer invite always wins over an older one.
 */
export interface InviteInput {
  bookingId: string;
  sequence: number;
  method: "REQUEST" | "CANCEL" | "PUBLISH";
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  url: string;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string }[];
}

export function inviteUid(bookingId: string): string {
  return `${bookingId}@coachbook`;
}

const METHODS = { REQUEST: ICalCalendarMethod.REQUEST, CANCEL: ICalCalendarMethod.CANCEL, PUBLISH: ICalCalendarMethod.PUBLISH };

export function buildInvite(input: InviteInput): string {
  const calendar = ical({ prodId: { company: "Coachbook", product: "Bookings", language: "EN" }, method: METHODS[input.method] });
  calendar.createEvent({
    id: inviteUid(input.bookingId),
    sequence: input.sequence,
    start: input.startsAt,
    end: input.endsAt,
    summary: input.title,
    description: input.description,
    url: input.url,
    status: input.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: input.organizer,
    // RSVP off: the booking is settled in Coachbook; calendars just add, move or remove the event.
    attendees: input.attendees.map((a) => ({ name: a.name, email: a.email, rsvp: false })),
  });
  return calendar.toString();
}

/** "Add to Google Calendar" link (Google's event template URL; times in UTC). */
export function googleCalendarUrl(input: { title: string; startsAt: Date; endsAt: Date; details: string }): string {
  const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const params = new URLSearchParams({ action: "TEMPLATE", text: input.title, dates: `${stamp(input.startsAt)}/${stamp(input.endsAt)}`, details: input.details });
  return `https://calendar.google.com/calendar/render?${params.toString()}`;
}
