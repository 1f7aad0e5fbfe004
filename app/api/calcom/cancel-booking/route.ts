import { cancelBooking, cancelBookingSchema } from "@/lib/booking/cancel";
import { parseJson, route } from "@/lib/http/route";

/** The booking's student, its coach or an admin: cancel (or, with dryRun, see exactly what cancelling would refund). */
export const POST = route("signed-in", async ({ req, user }) => cancelBooking(user, await parseJson(req, cancelBookingSchema)), { rateLimit: "bookingChange" });
