/**
 * Decides, per integration, whether the app talks to the real service (keys in the environment) or to the
 * in-repo emulator, and starts the emulators it needs. COACHBOOK_EMULATORS=off runs with neither (then
 * Cal.com is "not configured" and payments are unavailable).
 */
export async function startLocalIntegrations(appUrl: string): Promise<{ cleanups: (() => Promise<void>)[]; summary: string[] }> {
  const cleanups: (() => Promise<void>)[] = [];
  const summary: string[] = [];
  const off = process.env.COACHBOOK_EMULATORS === "off";
  void appUrl;
  if (process.env.CALCOM_API_KEY || process.env.CALCOM_CLIENT_ID) summary.push(`Cal.com: real API at ${process.env.CALCOM_API_URL ?? "https://api.cal.com"}`);
  else summary.push(off ? "Cal.com: not configured (local availability engine only)" : "Cal.com: emulator pending (issue 3)");
  if (process.env.STRIPE_SECRET_KEY) summary.push("Stripe: real API");
  else summary.push(off ? "Stripe: not configured" : "Stripe: emulator pending (issue 4)");
  return { cleanups, summary };
}
