import pg from "pg";

/**
 * Runs `fn` while holding a session-level PostgreSQL advisory lock on a dedicated, short-lived connection that is
 * NOT taken from the app's Prisma pool. Use it around slow outside calls that must be serialised across app
 * processes (a Cal.com token refresh): no pooled connection and no transaction stays open while `fn` waits on
 * the network, so requests keep flowing however long the outside call takes.
 *
 * The lock is released by pg_advisory_unlock, and in any case when the connection closes (a crashed process
 * cannot leave it held). Behind PgBouncer in transaction mode session locks do not work: point
 * DATABASE_DIRECT_URL at PostgreSQL itself (docs/SCALING.md).
 */
export async function withSessionAdvisoryLock<T>(key: string, fn: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
  const connectionString = process.env.DATABASE_DIRECT_URL || process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set.");
  const client = new pg.Client({ connectionString, application_name: "coachbook-lock" });
  await client.connect();
  try {
    // Waiting for the lock is bounded; lock_timeout applies to advisory locks too.
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(options.waitMs ?? 30_000))}`);
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
