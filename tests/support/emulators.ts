import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { POST as calcomWebhook } from "@/app/api/webhooks/calcom/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { startCalcomEmulator, type CalcomEmulator, type CalcomEmulatorOptions } from "@/lib/emulators/calcom";
import { startMailCatcher, type MailCatcher } from "@/lib/emulators/mail";
import { startStripeEmulator, type StripeEmulator } from "@/lib/emulators/stripe";
import { startRouteServer } from "./webhook-server";

type RouteServer = Awaited<ReturnType<typeof startRouteServer>>;

/** The platform credentials an integration file's Cal.com emulator is started with, unless it names its own. */
export const TEST_CALCOM = { clientId: "coachbook-test-client", clientSecret: "coachbook-test-secret", webhookSecret: "calcom-hook-secret" };

export interface EmulatorSetup {
  /** Stripe's emulator: on unless false. */
  stripe?: boolean;
  /**
   * A loopback server stands in for the app: the emulators deliver their webhooks over HTTP to the app's real
   * webhook routes there (Stripe's, and Cal.com's when it runs), and APP_URL is its address.
   */
  webhooks?: boolean;
  /** Cal.com's emulator, in platform mode (client id and secret) or, given `apiKey`, API-key mode. Off when absent. */
  calcom?: Pick<CalcomEmulatorOptions, "clientId" | "clientSecret" | "webhookSecret" | "apiKey" | "apiKeyUser">;
  /** A mail catcher behind SMTP_URL, writing .eml files into `mailDir`. */
  mail?: boolean;
  /** This file's own variables, set after the emulators' (a value of undefined removes one). */
  env?: Record<string, string | undefined>;
}

export interface Emulators {
  stripe: StripeEmulator;
  cal: CalcomEmulator;
  mail: MailCatcher;
  /** The loopback server that stands in for the app: its webhook routes (Stripe's, and Cal.com's when it runs). */
  app: RouteServer;
  /** Where the mail catcher writes; known at once, so a file can read it in helpers defined at its top. */
  mailDir: string;
}

const CALCOM_CONFIG = ["CALCOM_API_URL", "CALCOM_API_KEY", "CALCOM_CLIENT_ID", "CALCOM_CLIENT_SECRET", "CALCOM_WEBHOOK_SECRET"];

/**
 * Starts the emulators an integration file needs before its tests (beforeAll) and stops them after (afterAll), and
 * points the app's configuration at them: the same variables a deployment sets. Without Cal.com, its configuration
 * is removed, so the local availability engine answers. The variables are put back as they were afterwards.
 *
 * The emulators exist only once beforeAll has run, yet a file names them at its top (`const { stripe } = ...`) and
 * uses them in helpers: each is a stand-in that forwards to the started emulator, and throws if used earlier.
 */
export function useEmulators(setup: EmulatorSetup = {}): Emulators {
  const started: Partial<Omit<Emulators, "mailDir">> = {};
  const mailDir = setup.mail ? fs.mkdtempSync(path.join(os.tmpdir(), "coachbook-mail-")) : "";
  const envBefore: Record<string, string | undefined> = {};

  function setEnv(values: Record<string, string | undefined>) {
    for (const [key, value] of Object.entries(values)) {
      if (!(key in envBefore)) envBefore[key] = process.env[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }

  beforeAll(async () => {
    const env: Record<string, string | undefined> = Object.fromEntries(CALCOM_CONFIG.map((key) => [key, undefined]));
    if (setup.webhooks) {
      started.app = await startRouteServer(setup.calcom ? { "/api/webhooks/stripe": stripeWebhook, "/api/webhooks/calcom": calcomWebhook } : { "/api/webhooks/stripe": stripeWebhook });
      // Sync subscribes <APP_URL>/api/webhooks/calcom; Checkout's return addresses are built from it too.
      env.APP_URL = started.app.url;
    } else if (setup.calcom) {
      // Sync subscribes <APP_URL>/api/webhooks/calcom: a port nothing listens on, so no webhook reaches a real server.
      env.APP_URL = "http://127.0.0.1:9";
    }
    if (setup.calcom) {
      const calcom = setup.calcom.apiKey ? setup.calcom : { ...TEST_CALCOM, ...setup.calcom };
      started.cal = await startCalcomEmulator(calcom);
      Object.assign(env, {
        CALCOM_API_URL: started.cal.url,
        CALCOM_API_KEY: calcom.apiKey,
        CALCOM_CLIENT_ID: calcom.clientId,
        CALCOM_CLIENT_SECRET: calcom.clientSecret,
        CALCOM_WEBHOOK_SECRET: calcom.webhookSecret,
      });
    }
    if (setup.stripe !== false) {
      started.stripe = await startStripeEmulator(started.app ? { webhookUrl: `${started.app.url}/api/webhooks/stripe`, webhookRetryBaseMs: 20 } : {});
      Object.assign(env, { STRIPE_SECRET_KEY: "sk_test_coachbook_integration", STRIPE_WEBHOOK_SECRET: started.stripe.webhookSecret, STRIPE_API_BASE: started.stripe.url });
    }
    if (setup.mail) {
      started.mail = await startMailCatcher({ dir: mailDir });
      Object.assign(env, { SMTP_URL: started.mail.url, MAIL_FROM: "Coachbook <bookings@coachbook.test>" });
    }
    setEnv({ ...env, ...setup.env });
  });

  afterAll(async () => {
    await started.cal?.stop();
    await started.stripe?.stop();
    await started.app?.stop();
    await started.mail?.stop();
    if (mailDir) fs.rmSync(mailDir, { recursive: true, force: true });
    setEnv(envBefore);
  });

  return {
    stripe: lateBound(() => started.stripe, "stripe"),
    cal: lateBound(() => started.cal, "calcom"),
    mail: lateBound(() => started.mail, "mail"),
    app: lateBound(() => started.app, "the route server (webhooks: true)"),
    mailDir,
  };
}

/** Forwards every property to what `get` returns once it exists (methods bound to it). */
function lateBound<T extends object>(get: () => T | undefined, name: string): T {
  const target = () => {
    const value = get();
    if (!value) throw new Error(`useEmulators: ${name} is not running (not asked for in the setup, or used before beforeAll)`);
    return value;
  };
  return new Proxy({} as T, {
    get(_, prop) {
      const value = Reflect.get(target(), prop);
      return typeof value === "function" ? value.bind(target()) : value;
    },
    set(_, prop, value) {
      return Reflect.set(target(), prop, value);
    },
    has: (_, prop) => Reflect.has(target(), prop),
  });
}
