import { startCalcomEmulator } from "@/lib/emulators/calcom";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startMailCatcher } from "@/lib/emulators/mail";
import { startStripeEmulator } from "@/lib/emulators/stripe";

/**
 * Emulators for the browser tier, started beside the app; returns the environment that points the app at them
 * (the same variables a real deployment sets).
 */
export async function startTestIntegrations(appUrl: string): Promise<{ env: Record<string, string>; urls: Record<string, string>; stop: () => Promise<void> }> {
  const stripe = await startStripeEmulator({ webhookUrl: `${appUrl}/api/webhooks/stripe` });
  const calcom = await startCalcomEmulator({ clientId: "browser-client", clientSecret: "browser-secret", webhookSecret: "browser-calcom-hook" });
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), "coachbook-browser-mail-"));
  const mail = await startMailCatcher({ dir: mailDir });
  return {
    env: {
      STRIPE_SECRET_KEY: "sk_test_coachbook_browser_tests",
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE: stripe.url,
      CALCOM_API_URL: calcom.url,
      CALCOM_CLIENT_ID: "browser-client",
      CALCOM_CLIENT_SECRET: "browser-secret",
      CALCOM_WEBHOOK_SECRET: "browser-calcom-hook",
      SMTP_URL: mail.url,
      MAIL_FROM: "Coachbook <bookings@coachbook.test>",
      DEV_MAIL_DIR: mailDir,
      // The app runs in production mode here; this opens /dev/mail for the tests.
      DEV_MAILBOX: "1",
    },
    urls: { stripe: stripe.url, calcom: calcom.url, mail: mail.url },
    stop: async () => {
      await stripe.stop();
      await calcom.stop();
      await mail.stop();
      fs.rmSync(mailDir, { recursive: true, force: true });
    },
  };
}
