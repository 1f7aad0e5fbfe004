import { AppError } from "@/lib/errors";

/**
 * Reads a request body as UTF-8 text, at most `maxBytes` of it.
 *
 * Why not `req.text()`:
 * - A client that closes its connection mid-body makes `req.text()` throw Node's `Error("aborted")` with code
 *   ECONNRESET (seen from `next start`: `abortIncoming (node:_http_server)`). That is the same code a dropped
 *   PostgreSQL socket carries, so the route wrapper took it for a database outage: a logged error, and every page
 *   of the process answered 503 for five seconds (lib/db/outage.ts). Anyone could do that with one unfinished
 *   POST. Here it becomes REQUEST_ABORTED, a 400 nobody waits for.
 * - `req.text()` buffers the whole body before anyone can look at its size; this stops reading at the limit.
 */
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return "";
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      throw new AppError("REQUEST_ABORTED", "The request body could not be read: the connection closed before it was complete.");
    }
    if (step.done) break;
    size += step.value.byteLength;
    if (size > maxBytes) {
      // Not awaited: on a clone (a tee branch) cancel settles only once the other branch is cancelled too.
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(step.value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", "The request body is too large.");

/** JSON bodies of our own API (forms, bookings): a few KB in practice. */
export const API_BODY_LIMIT_BYTES = 100_000;
/**
 * Webhook bodies: a Stripe event embeds whole objects (a Checkout session with its line items) and a Cal.com
 * booking event its attendees and responses; both stay well under this.
 */
export const WEBHOOK_BODY_LIMIT_BYTES = 1_000_000;
