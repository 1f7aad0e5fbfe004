import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";

/**
 * Pool size per app process, chosen deliberately: a request holds a connection only for its own statements (one
 * round trip for a slot read; no transaction is ever held across a Stripe or Cal.com call), so a handful serve
 * two cores at full load. Each process has two such pools, Prisma's and the hot statements' (hotPool), plus the
 * rate limiter's 4 connections: N app instances open up to N x (2 x DATABASE_POOL_SIZE + 4) connections (plus one
 * short-lived connection per Cal.com token refresh): keep that under PostgreSQL's max_connections (100 by default)
 * minus a reserve, or put PgBouncer in front (docs/SCALING.md).
 */
export const DEFAULT_POOL_SIZE = 10;

export function poolSize(): number {
  const configured = Number(process.env.DATABASE_POOL_SIZE);
  return Number.isInteger(configured) && configured >= 1 && configured <= 200 ? configured : DEFAULT_POOL_SIZE;
}

export function createPool(connectionString: string, settings?: Pick<pg.PoolConfig, "options" | "allowExitOnIdle">): pg.Pool {
  return new pg.Pool({
    connectionString,
    max: poolSize(),
    // A request waiting this long for a connection fails (500, logged) instead of queueing without bound.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    ...settings,
  });
}

/** A Prisma client on its own pool (scripts, tests, benchmarks). */
export function createPrismaClient(connectionString: string) {
  return prismaOn(createPool(connectionString));
}

function prismaOn(pool: pg.Pool) {
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}

export type Db = ReturnType<typeof createPrismaClient>;

// One client and pool per process; Next's dev server reloads modules, so keep them on globalThis.
const globalForDb = globalThis as unknown as { coachbookDb?: Db; coachbookPool?: pg.Pool; coachbookHotPool?: pg.Pool; coachbookDbUrl?: string };

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set. Start the app with `npm run dev` (embedded PostgreSQL) or set DATABASE_URL.");
  return url;
}

export function getDb(): Db {
  const url = databaseUrl();
  if (!globalForDb.coachbookDb || globalForDb.coachbookDbUrl !== url) {
    void globalForDb.coachbookHotPool?.end().catch(() => {});
    globalForDb.coachbookHotPool = undefined;
    globalForDb.coachbookPool = createPool(url);
    globalForDb.coachbookDb = prismaOn(globalForDb.coachbookPool);
    globalForDb.coachbookDbUrl = url;
  }
  return globalForDb.coachbookDb;
}

/**
 * The pool of the hot statements (hotQuery), apart from Prisma's: their connections keep each statement's generic
 * plan (`plan_cache_mode = force_generic_plan`). PostgreSQL's own choice between the generic plan and planning again
 * for each execution compares a generic cost recomputed only when a generic plan is built with an average of custom
 * costs kept across invalidations (src/backend/utils/cache/plancache.c, RevalidateCachedQuery: "we do not reset
 * generic_cost or total_custom_cost"). A generic plan built while the estimates were high, then estimates that fell
 * (an autovacuum's ANALYZE), left the create-booking read planned again on every execution for the life of the
 * connection: +0.7 ms of PostgreSQL CPU per hold (docs/BENCHMARKS.md, tenth pass; tests/integration/
 * hot-statement-plans.test.ts). The hot statements' generic plans are the ones every benchmark measured. Prisma's
 * statements are unnamed, planned for their values each time, and must stay so: hence a pool of their own.
 * Without prepared statements (DATABASE_PREPARED_STATEMENTS=off) there is no plan cache to pin: default settings.
 */
function hotPool(): pg.Pool {
  getDb();
  if (!globalForDb.coachbookHotPool) {
    // allowExitOnIdle: nothing ends this pool when a script ends Prisma's (db.$disconnect()); its idle connections
    // must not keep the script running for idleTimeoutMillis.
    const pool = createPool(databaseUrl(), { allowExitOnIdle: true, ...(preparedStatements() ? { options: "-c plan_cache_mode=force_generic_plan" } : {}) });
    // An idle connection that PostgreSQL ends (a restart, a terminated backend) is an 'error' on the pool: without
    // a listener Node would throw it and end the process (Prisma's adapter listens on its own pool).
    pool.on("error", (error) => log.warn("hot statement pool: an idle connection failed", { error }));
    globalForDb.coachbookHotPool = pool;
  }
  return globalForDb.coachbookHotPool;
}

/**
 * Whether hot queries may be prepared once per connection (named statements). On by default: it saves the
 * parse and plan of the slot query on every request. Set DATABASE_PREPARED_STATEMENTS=off behind a pooler that
 * cannot keep them (PgBouncer in transaction mode before 1.21, docs/SCALING.md).
 */
export const preparedStatements = () => process.env.DATABASE_PREPARED_STATEMENTS !== "off";

/**
 * One statement of a hot path straight on the pool, prepared once per connection when allowed. Prisma's client
 * costs about 0.6-0.8 ms of CPU per model query against 0.13 ms for a named statement (measured in-process on
 * this machine; docs/BENCHMARKS.md): on a request made of a handful of reads and writes, that is most of its time.
 * Outside any transaction only: a statement that must see or join a transaction goes through its client.
 */
export async function hotQuery<Row extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<Row[]> {
  return (await hotStatement<Row>(name, text, values)).rows;
}

/** hotQuery for a statement that returns no rows: how many rows it wrote. */
export async function hotCount(name: string, text: string, values: unknown[]): Promise<number> {
  return (await hotStatement(name, text, values)).rowCount ?? 0;
}

function hotStatement<Row extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) {
  // Instants go as ISO strings: pg's own Date formatting (local time and offset, by hand) was about 50 us of a
  // create-booking's CPU (bench/profile.ts). The same instant either way; every timestamp column is timestamptz.
  const params = values.map((value) => (value instanceof Date ? value.toISOString() : value));
  return hotPool().query<Row>(preparedStatements() ? { name, text, values: params } : { text, values: params });
}

/** Lazily bound so importing a module never opens a connection. */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const client = getDb();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
