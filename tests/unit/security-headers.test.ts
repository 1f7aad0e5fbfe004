import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { config as proxyConfig, proxy } from "@/proxy";

const REQUIRED = ["x-frame-options", "x-content-type-options", "referrer-policy", "permissions-policy"];

function cspOf(response: Response) {
  const csp = response.headers.get("content-security-policy") ?? "";
  return Object.fromEntries(csp.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe("security headers", () => {
  it("pages: a fresh nonce CSP per request, given to Next.js on the request, plus the fixed headers", async () => {
    const first = await proxy(new NextRequest("http://localhost/coaches/anna/book"));
    const second = await proxy(new NextRequest("http://localhost/signin"));
    const csp = cspOf(first);
    const nonce = csp["script-src"].find((v: string) => v.startsWith("'nonce-"))!;
    expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/=]{20,}'$/);
    expect(csp["script-src"]).toEqual(expect.arrayContaining(["'self'", "'strict-dynamic'"]));
    expect(csp["script-src"]).not.toContain("'unsafe-inline'");
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(cspOf(second)["script-src"]).not.toContain(nonce);
    // Next.js reads the nonce from the request's CSP header (forwarded as x-middleware-request-*).
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(first.headers.get("content-security-policy"));
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce.slice("'nonce-".length, -1));
    for (const name of REQUIRED) expect(first.headers.get(name), name).toBeTruthy();
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers.get("x-middleware-request-x-request-id")).toBe(first.headers.get("x-request-id"));
  });

  it("cached public pages: a fixed CSP without nonce (cached HTML cannot carry one); a client-sent CSP header is dropped", async () => {
    for (const path of ["/", "/page/2", "/coaches/anna"]) {
      const request = new NextRequest(`http://localhost${path}`, { headers: { "content-security-policy": "script-src 'nonce-chosen-by-client'", "x-nonce": "chosen-by-client" } });
      const response = await proxy(request);
      const csp = cspOf(response);
      expect(csp["script-src"], path).toEqual(["'self'", "'unsafe-inline'"]);
      expect(csp["frame-ancestors"]).toEqual(["'none'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
      expect(csp["base-uri"]).toEqual(["'self'"]);
      expect(csp["form-action"]).toEqual(["'self'"]);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      // Next.js would take a nonce from these request headers into the cached HTML: they are removed.
      const overridden = (response.headers.get("x-middleware-override-headers") ?? "").split(",");
      expect(overridden).not.toContain("content-security-policy");
      expect(overridden).not.toContain("x-nonce");
      expect(response.headers.get("x-middleware-request-x-nonce")).toBeNull();
    }
    // Deeper paths under a coach (the picker) and everything else keep the nonce.
    for (const path of ["/coaches/anna/book", "/profile", "/no-such-page", "/page/2/x"]) {
      expect(cspOf(await proxy(new NextRequest(`http://localhost${path}`)))["script-src"].some((v: string) => v.startsWith("'nonce-")), path).toBe(true);
    }
  });

  it("pages: redirects of the role gate carry the headers too", async () => {
    const response = await proxy(new NextRequest("http://localhost/coach/availability"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toContain("/signin?callbackUrl=");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("the proxy runs for pages, not for API routes or static files", () => {
    const source = (proxyConfig.matcher[0] as { source: string }).source;
    const matches = (path: string) => new RegExp(`^${source}$`).test(path);
    expect(matches("/")).toBe(true);
    expect(matches("/student/bookings/abc")).toBe(true);
    expect(matches("/api/accounts")).toBe(false);
    expect(matches("/_next/static/chunks/main.js")).toBe(false);
  });

  it("every path (API included) gets the fixed headers from next.config; API answers get a deny-all CSP", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*")!;
    const names = all.headers.map((h) => h.key.toLowerCase());
    for (const name of REQUIRED) expect(names).toContain(name);
    const api = rules.find((r) => r.source === "/api/:path*")!;
    expect(api.headers).toEqual(expect.arrayContaining([{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }]));
  });

  it("HSTS only in production", async () => {
    const { baseSecurityHeaders } = await import("@/lib/http/security-headers");
    expect(baseSecurityHeaders(true)["Strict-Transport-Security"]).toMatch(/max-age=\d{7,}/);
    expect(baseSecurityHeaders(false)["Strict-Transport-Security"]).toBeUndefined();
  });
});
