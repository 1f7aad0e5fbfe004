import { CalcomError } from "./errors";

/**
 * A Cal.com answer that retrying cannot change: the time is not bookable there. Cal.com's booking handler answers
 * 400 with `no_available_users_found_error` when the host is busy or unavailable (handleNewBooking's
 * ErrorCode.NoAvailableUsersFound) and `booking_time_out_of_bounds_error` / "Attempting to book a meeting in the
 * past" when the time is outside the notice window or horizon (validateBookingTimeIsNotOutOfBounds, which throws
 * HttpError 400 with ErrorCode.BookingTimeOutOfBounds). See ../shared/calcom/CONTRACT.md (errors) and the upstream
 * packages/features/bookings/lib/handleNewBooking/validateBookingTimeIsNotOutOfBounds.ts.
 */
const DEFINITIVE = [/no_available_users_found_error/i, /booking_time_out_of_bounds_error/i, /book a meeting in the past/i, /already has booking at this time/i];

export function calendarRefusal(error: unknown): string | null {
  if (!(error instanceof CalcomError) || error.kind !== "http") return null;
  if (error.status !== 400 && error.status !== 409) return null;
  const text = `${error.code ?? ""} ${error.calMessage ?? ""} ${error.message}`;
  if (!DEFINITIVE.some((pattern) => pattern.test(text))) return null;
  if (/out_of_bounds|in the past/i.test(text)) return "The coach's calendar does not accept bookings this close to (or this far from) the session.";
  return "The coach's calendar already has something at this time.";
}
