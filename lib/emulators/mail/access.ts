import { AppError } from "@/lib/errors";

/**
 * /dev/mail shows every caught message to anyone who can reach the app, so it exists only in development, or
 * where DEV_MAILBOX=1 says so explicitly (the browser tier runs `next start`, i.e. production mode, with the
 * catcher). Everywhere else it is a 404.
 */
export function devMailboxEnabled(): boolean {
  return process.env.NODE_ENV === "development" || process.env.DEV_MAILBOX === "1";
}

export function assertDevMailbox(): void {
  if (!devMailboxEnabled()) throw new AppError("NOT_FOUND", "Not found.");
}
