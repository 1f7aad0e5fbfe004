import net from "node:net";

/**
 * A TCP relay in front of PostgreSQL that a test can break on purpose: "forward" relays, "hang-up" accepts and
 * drops every connection (open ones too; pg reports "Connection terminated unexpectedly"), "refuse" stops
 * listening (ECONNREFUSED, as when the database host is down). Point DATABASE_URL at `url` to use it.
 */
export type DatabaseProxyMode = "forward" | "hang-up" | "refuse";

export interface DatabaseProxy {
  url: string;
  setMode(mode: DatabaseProxyMode): Promise<void>;
  stop(): Promise<void>;
}

export async function startDatabaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl);
  const open = new Set<net.Socket>();
  let mode: DatabaseProxyMode = "forward";

  const server = net.createServer((client) => {
    if (mode !== "forward") return void client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {});
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  const dropAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };

  return {
    url: url.toString(),
    async setMode(next) {
      if (next !== "forward") dropAll();
      if (next === "refuse" && server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      if (next !== "refuse" && !server.listening) await listen(port);
      mode = next;
    },
    async stop() {
      dropAll();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
