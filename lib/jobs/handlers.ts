import { CALCOM_BOOKING_JOBS } from "@/lib/booking/calcom";
import { HOLD_JOBS } from "@/lib/booking/release";
import { RESCHEDULE_JOBS } from "@/lib/booking/reschedule-calcom";
import { OPS_JOBS } from "@/lib/ops/reconcile";
import { MAIL_JOBS } from "@/lib/notifications/send";
import { STRIPE_JOBS } from "@/lib/payments/jobs";
import type { JobHandler } from "./queue";

/** Every durable job kind and the code that runs it. */
export const JOB_HANDLERS: Record<string, JobHandler> = {
  ...CALCOM_BOOKING_JOBS,
  ...HOLD_JOBS,
  ...OPS_JOBS,
  ...STRIPE_JOBS,
  ...RESCHEDULE_JOBS,
  ...MAIL_JOBS,
};
