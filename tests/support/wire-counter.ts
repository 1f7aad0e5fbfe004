import net from "node:net";

/**
 * A TCP relay in front of PostgreSQL that reads the client's side of the wire protocol and counts what each
 * request costs the database client: round trips (a Sync or a simple Query ends one) and the statements in them
 * (an Execute or a simple Query), with their SQL (a named statement's text is remembered from its Parse).
 * Used by `npm run bench statements` and tests/integration/round-trips.test.ts; it does not change a byte.
 */
export interface WireCounter {
  url: string;
  /** The statements since the last reset, in order; "(BEGIN)"-style texts appear as sent. */
  take(): { roundTrips: number; statements: string[] };
  stop(): Promise<void>;
}

export async function startWireCounter(databaseUrl: string): Promise<WireCounter> {
  const target = new URL(databaseUrl);
  let roundTrips = 0;
  let statements: string[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    for (const s of [client, upstream]) s.on("error", () => {});
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    upstream.pipe(client);
    const named = new Map<string, string>();
    let unnamed = "";
    let buffer = Buffer.alloc(0);
    let started = false;
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          // Startup and SSLRequest carry no type byte: int32 length first.
          if (buffer.length < 4) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code !== 80877103) started = true; // SSLRequest is followed by the real startup message
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]);
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) return;
        const body = buffer.subarray(5, 1 + length);
        buffer = buffer.subarray(1 + length);
        if (type === "Q") {
          roundTrips++;
          statements.push(cString(body, 0).text);
        } else if (type === "P") {
          const name = cString(body, 0);
          const text = cString(body, name.end).text;
          if (name.text) named.set(name.text, text);
          else unnamed = text;
        } else if (type === "B") {
          const portal = cString(body, 0);
          const name = cString(body, portal.end).text;
          unnamed = name ? (named.get(name) ?? `(prepared ${name})`) : unnamed;
        } else if (type === "E") {
          statements.push(unnamed);
        } else if (type === "S") {
          roundTrips++;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    take() {
      const result = { roundTrips, statements };
      roundTrips = 0;
      statements = [];
      return result;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function cString(buffer: Buffer, start: number) {
  const end = buffer.indexOf(0, start);
  return { text: buffer.toString("utf8", start, end), end: end + 1 };
}
