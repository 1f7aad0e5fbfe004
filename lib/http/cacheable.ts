import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

/**
 * A JSON answer that is the same for every caller (no session, no cookies), made cheap to send again:
 * - a strong ETag over the body, and 304 Not Modified when the client already has it;
 * - `Cache-Control: public, max-age=…` kept short, because the answer goes stale as others book;
 * - gzip when the client accepts it (Next.js compresses pages but not route handler bodies), with
 *   `Vary: Accept-Encoding` so a shared cache keeps the two encodings apart. Nothing varies on Cookie because
 *   the answer never depends on who asks — only use this for such answers.
 */
export function cacheableJson(req: Request, value: unknown, options: { maxAgeSeconds: number; staleWhileRevalidateSeconds?: number }): Response {
  const body = JSON.stringify(value);
  const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
  const headers = new Headers({
    "content-type": "application/json",
    etag,
    "cache-control": `public, max-age=${options.maxAgeSeconds}${options.staleWhileRevalidateSeconds ? `, stale-while-revalidate=${options.staleWhileRevalidateSeconds}` : ""}`,
    vary: "Accept-Encoding",
  });
  const ifNoneMatch = req.headers.get("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  if (body.length > 1024 && /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
    headers.set("content-encoding", "gzip");
    return new Response(gzipSync(body, { level: 5 }), { headers });
  }
  return new Response(body, { headers });
}
