import { startCalcomEmulator } from "@/lib/emulators/calcom";

/**
 * The Cal.com v2 emulator for `npm run dev` without Cal.com keys: Platform mode with emulator credentials,
 * pointed at by the same variables a real deployment sets. The app's own sync subscribes its webhook URL.
 * Its state lives in memory: after a restart coaches simply sync again (the app adopts nothing stale, because
 * it keys managed users by email and recreates what is missing).
 */
export async function startCalcomForApp(appUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  void appUrl;
  const clientId = "coachbook-local-client";
  const clientSecret = "coachbook-local-secret";
  const webhookSecret = process.env.CALCOM_WEBHOOK_SECRET ?? "coachbook-local-webhook-secret";
  const emulator = await startCalcomEmulator({ port: Number(process.env.CALCOM_EMULATOR_PORT ?? 12112), clientId, clientSecret, webhookSecret });
  Object.assign(process.env, { CALCOM_API_URL: emulator.url, CALCOM_CLIENT_ID: clientId, CALCOM_CLIENT_SECRET: clientSecret, CALCOM_WEBHOOK_SECRET: webhookSecret });
  return { url: emulator.url, stop: () => emulator.stop() };
}
