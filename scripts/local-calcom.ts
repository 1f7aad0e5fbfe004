import { createPrismaClient } from "@/lib/db/client";
import { startCalcomEmulator } from "@/lib/emulators/calcom";

async function forgetPreviousEmulator() {
  if (!process.env.DATABASE_URL) return;
  const db = createPrismaClient(process.env.DATABASE_URL);
  try {
    await db.$transaction([
      db.calcomAccount.deleteMany({}),
      db.offering.updateMany({ data: { calcomEventTypeId: null, calcomSyncedHash: null } }),
      db.booking.updateMany({ where: { calcomBookingUid: { not: null } }, data: { calcomBookingUid: null, calcomStatus: null } }),
    ]);
  } finally {
    await db.$disconnect();
  }
}

/**
 * The Cal.com v2 emulator for `npm run dev` without Cal.com keys: Platform mode with emulator credentials,
 * pointed at by the same variables a real deployment sets. The app's own sync subscribes its webhook URL.
 * Its state lives in memory, so at start-up the database's links to the previous emulator run (managed user ids,
 * tokens, event type ids, booking uids) are cleared: coaches press "Sync with Cal.com" again.
 */
export async function startCalcomForApp(appUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  void appUrl;
  const clientId = "coachbook-local-client";
  const clientSecret = "coachbook-local-secret";
  const webhookSecret = process.env.CALCOM_WEBHOOK_SECRET ?? "coachbook-local-webhook-secret";
  const emulator = await startCalcomEmulator({ port: Number(process.env.CALCOM_EMULATOR_PORT ?? 12112), clientId, clientSecret, webhookSecret });
  await forgetPreviousEmulator();
  Object.assign(process.env, { CALCOM_API_URL: emulator.url, CALCOM_CLIENT_ID: clientId, CALCOM_CLIENT_SECRET: clientSecret, CALCOM_WEBHOOK_SECRET: webhookSecret });
  return { url: emulator.url, stop: () => emulator.stop() };
}
