import { holdGraceSeconds, releaseHold } from "@/lib/booking/release";
import { db } from "@/lib/db/client";

/** A hold end far enough in the past that the sweeper's grace period is over. */
export const pastGrace = () => new Date(Date.now() - (holdGraceSeconds() + 5) * 1000);

/** What the expire-hold job does when Stripe could not be asked: release the hold and leave the session open. */
export const releaseWithoutStripe = (bookingId: string) =>
  db.$transaction((tx) => releaseHold(tx, bookingId, "EXPIRED", "The hold ended before payment.", { expireCheckout: false }));
