const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** A short token of safe characters: what we accept as a request id from outside. */
export const isSaneRequestId = (id: string) => SANE_REQUEST_ID.test(id);

/** A caller's X-Request-Id is kept when it is a short token (so a proxy's id follows the request); otherwise a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id")?.trim();
  return given && isSaneRequestId(given) ? given : crypto.randomUUID();
}
