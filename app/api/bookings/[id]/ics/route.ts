import { bookingCalendarFile } from "@/lib/calendar/booking-invite";
import { route } from "@/lib/http/route";

/** GET: the booking's .ics (student, coach or admin of that booking; 404 for anyone else). */
export const GET = route<{ id: string }>("signed-in", async ({ params, user }) => {
  const file = await bookingCalendarFile(params.id, user);
  return new Response(file.content, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "private, no-store",
    },
  });
});
