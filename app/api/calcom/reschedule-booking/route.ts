import { rescheduleBooking, rescheduleBookingSchema } from "@/lib/booking/reschedule";
import { parseJson, route } from "@/lib/http/route";

/** The booking's student, its coach or an admin: move a paid booking (dryRun: see the price difference first). */
export const POST = route("signed-in", async ({ req, user }) => rescheduleBooking(user, await parseJson(req, rescheduleBookingSchema)), { rateLimit: "bookingChange" });
