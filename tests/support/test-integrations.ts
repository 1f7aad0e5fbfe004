/**
 * Emulators for the browser tier, started beside the app; returns the environment that points the app at them.
 * (Filled in as the Cal.com and Stripe emulators land.)
 */
export async function startTestIntegrations(appUrl: string): Promise<{ env: Record<string, string>; urls: Record<string, string>; stop: () => Promise<void> }> {
  void appUrl;
  return { env: {}, urls: {}, stop: async () => {} };
}
