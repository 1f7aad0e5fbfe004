import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { WebhookProvider } from "@/lib/generated/prisma/enums";

export type ApplyResult = "applied" | "duplicate";

/**
 * Records a webhook event by (provider, id) and applies its effect in the SAME transaction. A redelivery finds
 * the row and does nothing; a concurrent redelivery waits on the unique index and then sees the row. If the
 * effect throws, nothing is recorded and the caller answers non-2xx so the provider retries.
 */
export async function applyWebhookOnce(
  event: { provider: WebhookProvider; id: string; type: string; payload: unknown },
  effect: (tx: Prisma.TransactionClient) => Promise<void>,
): Promise<ApplyResult> {
  return db.$transaction(async (tx) => {
    const inserted = await tx.webhookEvent.createMany({
      data: [{ provider: event.provider, eventId: event.id, type: event.type, payload: event.payload as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return "duplicate";
    await effect(tx);
    return "applied";
  });
}
