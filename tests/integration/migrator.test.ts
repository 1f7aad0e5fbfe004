import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { listMigrations, migrate, MIGRATIONS_DIR } from "@/lib/db/migrator";

const adminUrl = inject("adminDatabaseUrl");
const scratch = `mig_${Date.now().toString(36)}`;
const scratchUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${scratch}`;
  return url.toString();
})();
let dir: string;

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function writeMigration(name: string, sql: string) {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

beforeAll(async () => {
  await query(adminUrl, `CREATE DATABASE ${scratch}`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
});
afterAll(async () => {
  await query(adminUrl, `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("Prisma-compatible migrator", () => {
  it("records the project's migrations exactly as prisma migrate deploy does", async () => {
    const rows = await query(process.env.DATABASE_URL!, `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations"`);
    const expected = listMigrations(MIGRATIONS_DIR);
    expect(rows.map((r) => r.migration_name)).toEqual(expected.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(expected[i].checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }
    expect(await migrate(process.env.DATABASE_URL!)).toEqual({ applied: [], alreadyApplied: expected.map((m) => m.name) });
  });

  it("applies new migrations in order and is idempotent", async () => {
    writeMigration("20260101000000_a", "CREATE TABLE a (id int primary key);");
    writeMigration("20260102000000_b", "ALTER TABLE a ADD COLUMN note text;");
    expect((await migrate(scratchUrl, dir)).applied).toEqual(["20260101000000_a", "20260102000000_b"]);
    expect((await migrate(scratchUrl, dir)).applied).toEqual([]);
  });

  it("rolls a failing migration back completely and says which one failed", async () => {
    writeMigration("20260103000000_bad", "CREATE TABLE half_done (id int);\nSELECT no_such_function();");
    await expect(migrate(scratchUrl, dir)).rejects.toThrow(/20260103000000_bad failed and was rolled back: .*no_such_function/);
    const tables = await query(scratchUrl, `SELECT to_regclass('public.half_done') AS t`);
    expect(tables[0].t).toBeNull();
    const recorded = await query(scratchUrl, `SELECT migration_name FROM "_prisma_migrations" WHERE migration_name = '20260103000000_bad'`);
    expect(recorded).toEqual([]);
    // Fixed, it applies.
    writeMigration("20260103000000_bad", "CREATE TABLE half_done (id int);");
    expect((await migrate(scratchUrl, dir)).applied).toEqual(["20260103000000_bad"]);
  });

  it("refuses to run when an applied migration was edited", async () => {
    writeMigration("20260101000000_a", "CREATE TABLE a (id int primary key, changed int);");
    await expect(migrate(scratchUrl, dir)).rejects.toThrow(/20260101000000_a was changed after it was applied/);
  });
});
