/** Names of the durable jobs (lib/jobs/queue.ts); handlers are registered in lib/jobs/handlers.ts. */
export const JOB = {
  calcomConfirm: "calcom.confirm",
  calcomRelease: "calcom.release",
  calcomReconcile: "calcom.reconcile",
  stripeExpireCheckout: "stripe.expire-checkout",
  stripeRefund: "stripe.refund",
  mailSend: "mail.send",
} as const;
