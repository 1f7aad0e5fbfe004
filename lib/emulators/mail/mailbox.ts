import fs from "node:fs/promises";
import path from "node:path";
import { simpleParser, type AddressObject } from "mailparser";
import { AppError } from "@/lib/errors";

/** Reads the mail catcher's .eml files (lib/emulators/mail/index.ts) for /dev/mail and the tests. */
export interface CaughtMessage {
  id: string;
  messageId: string | undefined;
  date: Date | undefined;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  attachments: { filename: string; contentType: string; method: string | null; content: string }[];
}

const ID_PATTERN = /^[A-Za-z0-9-]+\.eml$/;

export function mailDir(): string {
  return path.resolve(process.env.DEV_MAIL_DIR ?? ".data/mail");
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? "")).filter(Boolean);
}

/** Newest first. */
export async function listMessageIds(dir = mailDir()): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => ID_PATTERN.test(name)).sort().reverse();
}

/** One message by file name; null for a name that is not a caught message (never a path outside the folder). */
export async function readMessage(id: string, dir = mailDir()): Promise<CaughtMessage | null> {
  if (!ID_PATTERN.test(id)) return null;
  const raw = await fs.readFile(path.join(dir, id)).catch(() => null);
  if (!raw) return null;
  const parsed = await simpleParser(raw);
  // nodemailer's icalEvent puts the invite in twice (a text/calendar alternative for Outlook/Gmail and an
  // application/ics attachment); show it once.
  const unique = parsed.attachments.filter((a, i, all) => all.findIndex((b) => b.content.equals(a.content)) === i);
  const attachments = unique.map((a) => ({
    filename: a.filename ?? (a.contentType === "text/calendar" ? "invite.ics" : "attachment"),
    contentType: a.contentType,
    method: /^METHOD:([A-Z]+)/m.exec(a.content.toString("utf8"))?.[1] ?? null,
    content: a.content.toString("utf8"),
  }));
  return {
    id,
    messageId: parsed.messageId,
    date: parsed.date,
    from: addresses(parsed.from)[0] ?? "",
    to: addresses(parsed.to),
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    html: typeof parsed.html === "string" ? parsed.html : null,
    attachments,
  };
}

export async function readAllMessages(dir = mailDir()): Promise<CaughtMessage[]> {
  const ids = await listMessageIds(dir);
  const messages = await Promise.all(ids.map((id) => readMessage(id, dir)));
  return messages.filter((m): m is CaughtMessage => m !== null);
}

/** One attachment of a caught message; NOT_FOUND for anything that is not there. */
export async function caughtAttachment(id: string, index: number, dir = mailDir()) {
  const message = await readMessage(id, dir);
  const attachment = message && Number.isInteger(index) && index >= 0 ? message.attachments[index] : undefined;
  if (!attachment) throw new AppError("NOT_FOUND", "No such attachment.");
  return attachment;
}
