import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export function createPrismaClient(connectionString: string) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
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
