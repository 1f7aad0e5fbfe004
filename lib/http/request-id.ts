/** A caller's X-Request-Id is kept when it is a short token (so a proxy's id follows the request); otherwise a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id")?.trim();
  return given && /^[A-Za-z0-9._:-]{8,100}$/.test(given) ? given : crypto.randomUUID();
}
