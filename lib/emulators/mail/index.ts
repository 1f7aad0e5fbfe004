import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";

/**
 * A local SMTP server that catches every message (like Mailpit): each one is written to `dir` as an .eml file,
 * which /dev/mail lists (lib/emulators/mail/mailbox.ts reads them). Used by `npm run dev` when no SMTP_URL is
 * set, by the browser tier and by the integration tests, so mail goes through real SMTP everywhere.
 */
export interface MailCatcher {
  /** smtp://127.0.0.1:<port>, to be given to the app as SMTP_URL. */
  url: string;
  dir: string;
  faults: { failNext(count?: number): void };
  /** How many messages were accepted since start. */
  accepted(): number;
  stop(): Promise<void>;
}

export async function startMailCatcher(options: { dir: string; port?: number; host?: string }): Promise<MailCatcher> {
  const dir = path.resolve(options.dir);
  fs.mkdirSync(dir, { recursive: true });
  let failures = 0;
  let accepted = 0;
  const server = new SMTPServer({
    // Loopback only and nothing secret passes: no TLS, any (or no) login is accepted.
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: "dev" }),
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        if (failures > 0) {
          failures--;
          const error = Object.assign(new Error("Temporary failure (mail catcher fault)"), { responseCode: 451 });
          return callback(error);
        }
        // Names sort by arrival time; the random part keeps simultaneous messages apart.
        const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`;
        try {
          fs.writeFileSync(path.join(dir, name), Buffer.concat(chunks));
          accepted++;
          callback(null, `Queued as ${name}`);
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `smtp://${host}:${port}`,
    dir,
    faults: { failNext: (count = 1) => void (failures = count) },
    accepted: () => accepted,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
