/** Filled in when the Cal.com emulator lands: starts it for `npm run dev` and sets CALCOM_* for the app. */
export async function startCalcomForApp(appUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  void appUrl;
  return { url: "(not yet available)", stop: async () => {} };
}
