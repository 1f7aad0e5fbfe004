import { z } from "zod";

/**
 * Every environment variable the app reads, validated once. Integrations are optional: without Cal.com
 * credentials the local availability engine answers; without a Stripe key `npm run dev` starts the emulator.
 */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : undefined));
const optionalUrl = optionalString.pipe(z.string().url().optional());

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (npm run dev sets it for the embedded PostgreSQL)").url(),
  APP_URL: optionalUrl.transform((value) => value ?? "http://localhost:3000"),
  NEXTAUTH_URL: optionalUrl,
  NEXTAUTH_SECRET: optionalString,
  // Cal.com: Platform mode (client id + secret) or API key mode; CALCOM_API_URL points at the emulator in dev/tests.
  CALCOM_API_URL: z.string().url().default("https://api.cal.com"),
  CALCOM_API_KEY: optionalString,
  // API-key mode serves one coach: the email of the coach account the key belongs to.
  CALCOM_API_KEY_COACH_EMAIL: optionalString,
  CALCOM_CLIENT_ID: optionalString,
  CALCOM_CLIENT_SECRET: optionalString,
  CALCOM_WEBHOOK_SECRET: optionalString,
  // Per-attempt timeout of Cal.com calls (ms).
  CALCOM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // 32+ characters; encrypts Cal.com tokens at rest. Defaults to a key derived from NEXTAUTH_SECRET.
  TOKEN_ENCRYPTION_KEY: optionalString,
  // Stripe: STRIPE_API_BASE points the SDK at the local emulator (e.g. http://127.0.0.1:12111).
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: optionalUrl,
  // Mail: SMTP_URL (smtp://user:pass@host:587 or smtps://...) and the From address. Without SMTP_URL, `npm run dev`
  // starts the local mail catcher; production without it sends nothing and says so once in the log.
  SMTP_URL: optionalString.pipe(z.string().regex(/^smtps?:\/\/.+/, "must be an smtp:// or smtps:// URL").optional()),
  MAIL_FROM: optionalString,
  // The dev mail catcher's folder of .eml files, and the flag that opens /dev/mail outside development (tests).
  DEV_MAIL_DIR: optionalString,
  DEV_MAILBOX: optionalString,
  HOLD_MINUTES: z.coerce.number().int().min(2).max(24 * 60).default(30),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join("\n")}\nSee .env.example.`);
  }
  const env = result.data;
  if (Boolean(env.CALCOM_CLIENT_ID) !== Boolean(env.CALCOM_CLIENT_SECRET)) {
    throw new EnvError("Invalid environment configuration:\n  CALCOM_CLIENT_ID and CALCOM_CLIENT_SECRET must be set together (Cal.com Platform mode).");
  }
  if (env.NODE_ENV === "production") {
    const missing: string[] = [];
    // Stripe's return URLs and the Cal.com webhook subscription are built from it: localhost would break both.
    if (!source.APP_URL?.trim()) missing.push("APP_URL: required in production (the public https:// address of the app).");
    if (env.CALCOM_API_KEY && !env.CALCOM_CLIENT_ID && !env.CALCOM_API_KEY_COACH_EMAIL) missing.push("CALCOM_API_KEY_COACH_EMAIL: required with CALCOM_API_KEY (the coach the key belongs to).");
    if (!env.NEXTAUTH_SECRET) missing.push("NEXTAUTH_SECRET: required in production (openssl rand -base64 32).");
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) missing.push("STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY (payments are confirmed by the webhook).");
    if ((env.CALCOM_API_KEY || env.CALCOM_CLIENT_ID) && !env.CALCOM_WEBHOOK_SECRET) missing.push("CALCOM_WEBHOOK_SECRET: required with Cal.com credentials (webhooks must be signed).");
    if (missing.length) throw new EnvError(`Invalid environment configuration:\n  ${missing.join("\n  ")}`);
  }
  return env;
}

const ENV_KEYS = Object.keys(schema.shape);
let cached: Env | undefined;
let cachedFrom: string | undefined;

// A production server's environment does not change once it runs, so it is parsed once there. Elsewhere (tests
// change variables between cases) a key over every variable is compared on each call: reading process.env is a
// call into the runtime per variable, about 40 us per create-booking in the production profile.
const ENV_FIXED = process.env.NODE_ENV === "production";

/** Parsed lazily (not at import) so `next build` works without a database URL. */
export function env(): Env {
  if (cached && ENV_FIXED) return cached;
  const key = ENV_KEYS.map((name) => process.env[name] ?? "").join("\u0000");
  if (!cached || cachedFrom !== key) {
    cached = parseEnv(process.env);
    cachedFrom = key;
  }
  return cached;
}

export type CalcomMode = { kind: "platform"; clientId: string; clientSecret: string } | { kind: "apiKey"; apiKey: string } | { kind: "none" };

export function calcomMode(e: Env = env()): CalcomMode {
  if (e.CALCOM_CLIENT_ID && e.CALCOM_CLIENT_SECRET) return { kind: "platform", clientId: e.CALCOM_CLIENT_ID, clientSecret: e.CALCOM_CLIENT_SECRET };
  if (e.CALCOM_API_KEY) return { kind: "apiKey", apiKey: e.CALCOM_API_KEY };
  return { kind: "none" };
}

export const DEV_AUTH_SECRET = "coachbook-development-secret-not-for-production";

/** Development and tests get a fixed secret so sessions survive restarts; production requires one (parseEnv). */
export function authSecret(): string {
  const secret = process.env.NEXTAUTH_SECRET?.trim();
  if (secret) return secret;
  if (process.env.NODE_ENV === "production") {
    throw new EnvError("Invalid environment configuration:\n  NEXTAUTH_SECRET: required in production (openssl rand -base64 32).");
  }
  return DEV_AUTH_SECRET;
}
