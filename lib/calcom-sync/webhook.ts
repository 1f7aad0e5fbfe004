import { createHash } from "node:crypto";
import { z } from "zod";
import { verifyCalcomSignature } from "@/lib/calcom";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/queue";
import { JOB } from "@/lib/jobs/kinds";
import { applyWebhookOnce } from "@/lib/webhooks/apply-once";

const envelopeSchema = z.object({
  triggerEvent: z.string().min(1),
  createdAt: z.string().min(1),
  payload: z.looseObject({
    uid: z.string().optional(),
    bookingId: z.number().optional(),
    status: z.string().optional(),
    rescheduleUid: z.string().optional(),
  }),
});

const BOOKING_TRIGGERS = new Set(["BOOKING_REQUESTED", "BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED", "BOOKING_REJECTED"]);

export type CalcomWebhookResult = { outcome: "applied" | "duplicate" | "ignored"; type: string };

/**
 * Cal.com webhooks carry no event id and no replay protection, and their payloads are known to lag the truth
 * (a confirm can still arrive as BOOKING_REQUESTED; reschedules change the uid). So a verified delivery is only
 * a hint: it is recorded once (id = hash of trigger, uid and createdAt) and queues a reconcile job that reads
 * the booking from the Cal.com API and applies what is really there. Order and repetition then do no harm.
 */
export async function handleCalcomWebhook(rawBody: string, signature: string | null): Promise<CalcomWebhookResult> {
  const secret = env().CALCOM_WEBHOOK_SECRET;
  // Not configured: a clear 409 to whoever calls (anyone can), never a 500.
  if (!secret) throw new AppError("INTEGRATION_NOT_CONFIGURED", "Cal.com webhooks are not configured on this server.");
  if (!verifyCalcomSignature(rawBody, signature, secret)) throw new AppError("INVALID_SIGNATURE", "The X-Cal-Signature-256 header does not match this body.");
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError("BAD_REQUEST", "The webhook body is not JSON.");
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "Not a Cal.com webhook envelope.");
  const { triggerEvent, createdAt, payload } = parsed.data;
  if (!BOOKING_TRIGGERS.has(triggerEvent) || !payload.uid) return { outcome: "ignored", type: triggerEvent };
  const uids = [payload.uid, payload.rescheduleUid].filter((uid): uid is string => Boolean(uid));
  const id = createHash("sha256").update(`${triggerEvent}|${payload.uid}|${payload.rescheduleUid ?? ""}|${createdAt}`).digest("hex");
  const outcome = await applyWebhookOnce({ provider: "CALCOM", id, type: triggerEvent, payload: { uid: payload.uid, rescheduleUid: payload.rescheduleUid ?? null, status: payload.status ?? null } }, async (tx) => {
    const booking = await tx.booking.findFirst({ where: { calcomBookingUid: { in: uids } }, select: { id: true } });
    if (!booking) return;
    await enqueue(tx, { kind: JOB.calcomReconcile, payload: { bookingId: booking.id, uid: payload.uid }, dedupeKey: `calcom-reconcile:${id}` });
  });
  return { outcome, type: triggerEvent };
}

