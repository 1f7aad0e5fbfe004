import { createRequire } from "node:module";

/**
 * next-auth's App Router handler calls `require("next/headers")` (cookies(), headers()), which only work inside
 * Next's request scope. Tests that call the next-auth route handler directly import this file: it replaces those
 * two functions on the CommonJS module next-auth requires, and the request being handled (set with
 * `useRequestHeaders`) answers instead. (vi.mock cannot reach a require() made inside node_modules.)
 */
export const currentHeaders: { value: Headers } = { value: new Headers() };

export function useRequestHeaders(headers: Headers) {
  currentHeaders.value = headers;
}

const parse = () =>
  (currentHeaders.value.get("cookie") ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf("=");
      return { name: part.slice(0, at), value: decodeURIComponent(part.slice(at + 1)) };
    });

const nextHeaders = createRequire(import.meta.url)("next/headers") as { headers: unknown; cookies: unknown };
nextHeaders.headers = async () => currentHeaders.value;
nextHeaders.cookies = async () => ({ getAll: () => parse(), get: (name: string) => parse().find((c) => c.name === name) });
