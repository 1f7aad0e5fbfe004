/**
 * Security headers of every page and API response. Pages get a per-request nonce CSP from proxy.ts (Next.js puts
 * the nonce on its own inline bootstrap scripts; 'strict-dynamic' lets those load the chunks), except the cached
 * public pages (STATIC_PAGES), which get a fixed policy without nonce; API responses and
 * static files get the fixed headers from next.config.ts. HSTS only in production (https).
 */
export function pageContentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return policy(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`, dev);
}

/**
 * The public pages served from Next's page cache (STATIC_PAGES): their HTML is rendered once for everyone, so it
 * cannot carry a per-request nonce, and its inline scripts (Next's RSC payload) differ per page and per
 * regeneration, so no fixed hashes either. They allow same-origin and inline scripts; every other directive is as
 * strict as on the nonce pages. Why this is acceptable (no user-supplied HTML on these pages): docs/SECURITY.md.
 */
export function staticPageContentSecurityPolicy(dev = process.env.NODE_ENV === "development"): string {
  return policy(`script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`, dev);
}

/** Pages served from the page cache: the landing page, its later list pages, a coach's public page. */
const STATIC_PAGES = [/^\/$/, /^\/page\/[^/]+$/, /^\/coaches\/[^/]+$/];
export function isStaticPage(pathname: string): boolean {
  return STATIC_PAGES.some((pattern) => pattern.test(pathname));
}

function policy(scriptSrc: string, dev: boolean): string {
  return [
    "default-src 'self'",
    scriptSrc,
    // React and Next set style attributes at runtime; inline styles cannot run code, scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For JSON answers: nothing may load or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function baseSecurityHeaders(production = process.env.NODE_ENV === "production"): Record<string, string> {
  return {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(production ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
