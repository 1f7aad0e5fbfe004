import { createHash } from "node:crypto";

/**
 * A JSON answer (`body`, already serialised) that is the same for every caller (no session, no cookies), made cheap to send again:
 * a strong ETag over the body with 304 Not Modified when the client already has it, and a short public max-age
 * (the answer goes stale as others book). Nothing varies on Cookie because the answer never depends on who asks:
 * only use this for such answers. `etag`: the body's, when the caller already has it (a kept answer).
 *
 * Compression is not done here: Next.js 16.4 drops a route handler's own Content-Encoding header (it would send
 * gzip bytes labelled as plain JSON) and its built-in compression skips route handlers
 * (vercel/next.js#98007). The reverse proxy in front compresses (docs/SCALING.md), adding Vary: Accept-Encoding.
 */
export function cacheableJson(req: Request, body: string, options: { maxAgeSeconds: number; staleWhileRevalidateSeconds?: number; etag?: string }): Response {
  const etag = options.etag ?? `"${createHash("sha1").update(body).digest("base64url")}"`;
  const headers = new Headers({
    "content-type": "application/json",
    etag,
    "cache-control": `public, max-age=${options.maxAgeSeconds}${options.staleWhileRevalidateSeconds ? `, stale-while-revalidate=${options.staleWhileRevalidateSeconds}` : ""}`,
  });
  const ifNoneMatch = req.headers.get("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
