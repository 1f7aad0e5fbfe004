/**
 * Decides, per integration, whether the app talks to the real service (keys in the environment) or to the
 * in-repo emulator, starts the emulators it needs and points the app at them through the same variables a
 * real deployment sets. COACHBOOK_EMULATORS=off runs with neither (Cal.com "not configured", no payments).
 * `npm start` (production) never starts them unless COACHBOOK_EMULATORS=on: their secrets are public, so anyone
 * could sign a "paid" webhook.
 */
export async function startLocalIntegrations(appUrl: string, mode: "dev" | "start"): Promise<{ cleanups: (() => Promise<void>)[]; summary: string[] }> {
  const cleanups: (() => Promise<void>)[] = [];
  const summary: string[] = [];
  const off = process.env.COACHBOOK_EMULATORS === "off" || (mode === "start" && process.env.COACHBOOK_EMULATORS !== "on");

  if (process.env.CALCOM_API_KEY || process.env.CALCOM_CLIENT_ID) {
    summary.push(`Cal.com: real API at ${process.env.CALCOM_API_URL ?? "https://api.cal.com"}`);
  } else if (off) {
    summary.push("Cal.com: not configured (local availability engine only)");
  } else {
    const { startCalcomForApp } = await import("./local-calcom");
    const calcom = await startCalcomForApp(appUrl);
    cleanups.push(calcom.stop);
    summary.push(`Cal.com: emulator at ${calcom.url} (Platform mode, webhooks to ${appUrl}/api/webhooks/calcom)`);
  }

  if (process.env.STRIPE_SECRET_KEY) {
    summary.push(`Stripe: real API${process.env.STRIPE_API_BASE ? ` at ${process.env.STRIPE_API_BASE}` : ""}`);
  } else if (off) {
    summary.push("Stripe: not configured (booking payments unavailable)");
  } else {
    const { startStripeEmulator } = await import("@/lib/emulators/stripe");
    const stripe = await startStripeEmulator({
      port: Number(process.env.STRIPE_EMULATOR_PORT ?? 12111),
      webhookUrl: `${appUrl}/api/webhooks/stripe`,
      webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_coachbook_local_emulator",
    });
    process.env.STRIPE_SECRET_KEY = "sk_test_coachbook_local_emulator";
    process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
    process.env.STRIPE_API_BASE = stripe.url;
    cleanups.push(() => stripe.stop());
    summary.push(`Stripe: emulator at ${stripe.url} (checkout pages there; webhooks to ${appUrl}/api/webhooks/stripe)`);
  }

  if (process.env.SMTP_URL) {
    summary.push(`Mail: SMTP at ${new URL(process.env.SMTP_URL).host} (from ${process.env.MAIL_FROM ?? "the default address"})`);
  } else if (off) {
    summary.push("Mail: off (no SMTP_URL; mail jobs are recorded as skipped)");
  } else {
    // The catcher keeps every message as .eml under .data/mail; /dev/mail lists them. Imported only here, so a
    // production install without dev dependencies (smtp-server) never loads it.
    const { startMailCatcher } = await import("@/lib/emulators/mail");
    const path = await import("node:path");
    const catcher = await startMailCatcher({ dir: path.resolve(process.env.DEV_MAIL_DIR ?? ".data/mail"), port: Number(process.env.MAIL_CATCHER_PORT ?? 0) });
    process.env.SMTP_URL = catcher.url;
    process.env.DEV_MAIL_DIR = catcher.dir;
    cleanups.push(() => catcher.stop());
    summary.push(`Mail: local catcher at ${catcher.url}; read it at ${appUrl}/dev/mail (files in ${path.relative(process.cwd(), catcher.dir)})`);
  }
  return { cleanups, summary };
}
