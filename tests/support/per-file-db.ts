import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";

/**
 * Runs before each integration test file: clones the migrated template into a fresh database and points
 * DATABASE_URL at it (lib/db/client.ts reads it lazily), so every file starts from an empty, migrated schema.
 */
const adminUrl = inject("adminDatabaseUrl");
const template = inject("templateDatabase");
const name = `t_${randomBytes(6).toString("hex")}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
await admin.end();

const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.COACHBOOK_LOG ??= "silent";

afterAll(async () => {
  const { getDb } = await import("@/lib/db/client");
  await getDb().$disconnect().catch(() => {});
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
});
