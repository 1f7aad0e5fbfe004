import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Pool size per app process, chosen deliberately: a request holds a connection only for its own statements (one
 * round trip for a slot read; no transaction is ever held across a Stripe or Cal.com call), so a handful serve
 * two cores at full load. N app instances open up to N x DATABASE_POOL_SIZE connections (plus one short-lived
 * connection per Cal.com token refresh): keep that under PostgreSQL's max_connections (100 by default) minus a
 * reserve, or put PgBouncer in front (docs/SCALING.md).
 */
export const DEFAULT_POOL_SIZE = 10;

export function poolSize(): number {
  const configured = Number(process.env.DATABASE_POOL_SIZE);
  return Number.isInteger(configured) && configured >= 1 && configured <= 200 ? configured : DEFAULT_POOL_SIZE;
}

export function createPrismaClient(connectionString: string) {
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString,
      max: poolSize(),
      // A request waiting this long for a connection fails (500, logged) instead of queueing without bound.
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    }),
  });
}

export type Db = ReturnType<typeof createPrismaClient>;

// One client per process; Next's dev server reloads modules, so keep it on globalThis.
const globalForDb = globalThis as unknown as { coachbookDb?: Db; coachbookDbUrl?: string };

export function getDb(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set. Start the app with `npm run dev` (embedded PostgreSQL) or set DATABASE_URL.");
  if (!globalForDb.coachbookDb || globalForDb.coachbookDbUrl !== url) {
    globalForDb.coachbookDb = createPrismaClient(url);
    globalForDb.coachbookDbUrl = url;
  }
  return globalForDb.coachbookDb;
}

/** Lazily bound so importing a module never opens a connection. */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const client = getDb();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
