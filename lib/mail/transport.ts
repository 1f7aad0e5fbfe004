import nodemailer, { type Transporter } from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * The SMTP transport from SMTP_URL (nodemailer pools nothing here: one connection per message keeps several app
 * processes independent). Without SMTP_URL mail is off: null is returned and the caller records "skipped: mail
 * off" instead of pretending to send. `npm run dev` always has one (the local catcher).
 */
let cached: { url: string; transport: Transporter } | undefined;
let warnedOff = false;

export function mailTransport(): Transporter | null {
  const url = env().SMTP_URL;
  if (!url) {
    if (!warnedOff) {
      warnedOff = true;
      log.warn("mail is off: SMTP_URL is not set, so no email is sent (each mail job records 'skipped: mail off')");
    }
    return null;
  }
  if (cached?.url !== url) {
    // Short timeouts (nodemailer's defaults are minutes): a hung SMTP server fails the job, which retries with
    // backoff, instead of stalling the worker that runs every other job.
    const smtp = new SMTPTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    cached = { url, transport: nodemailer.createTransport(smtp) };
  }
  return cached.transport;
}

/** MAIL_FROM, or a clearly local default outside production. */
export function mailFrom(): string {
  const from = env().MAIL_FROM;
  if (from) return from;
  return `Coachbook <no-reply@${new URL(env().APP_URL).hostname || "localhost"}>`;
}

/** The domain part of the From address, for Message-IDs that are ours. */
export function mailDomain(): string {
  const match = /@([^>\s]+)>?\s*$/.exec(mailFrom());
  return match?.[1] ?? "coachbook.local";
}
