import { route } from "@/lib/http/route";
import { operationsOverview } from "@/lib/ops/overview";

/** Admins: dead and stuck jobs, open findings, failed refunds, paid bookings not on the coach's calendar. */
export const GET = route("ADMIN", async () => operationsOverview());
