/** Names of the durable jobs (lib/jobs/queue.ts); handlers are registered in lib/jobs/handlers.ts. */
export const JOB = {
  calcomConfirm: "calcom.confirm",
  calcomRelease: "calcom.release",
  calcomReconcile: "calcom.reconcile",
  calcomReschedule: "calcom.reschedule",
  stripeExpireCheckout: "stripe.expire-checkout",
  stripeRefund: "stripe.refund",
  stripeSyncRefunds: "stripe.sync-refunds",
  bookingExpireHold: "booking.expire-hold",
  bookingFundsDeadline: "booking.funds-deadline",
  reconcile: "ops.reconcile",
  prune: "ops.prune",
  mailSend: "mail.send",
} as const;
