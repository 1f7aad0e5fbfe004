import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

type RouteHandler = (req: NextRequest, ctx: { params: Promise<never> }) => Promise<Response>;

/**
 * A loopback HTTP server that hands requests to the app's real route handlers, so the emulators can deliver
 * webhooks over HTTP exactly as in production while the test runs without a Next.js server.
 */
export async function startRouteServer(routes: Record<string, RouteHandler>) {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const handler = routes[url.pathname];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
    try {
      const response = await handler(new NextRequest(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }), {
        params: Promise.resolve({}) as Promise<never>,
      });
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
