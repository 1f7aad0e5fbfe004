import fs from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { prismaDiffSql } from "@/scripts/prisma-diff";
import { catalogOfSql, diffCatalogs, formatDrift, readCatalog, type Catalog, type IgnoredIndex } from "@/tests/support/schema-catalog";

/**
 * prisma/schema.prisma is the model; prisma/migrations (applied by lib/db/migrator.ts) build the database.
 * This file fails when they disagree: the SQL that schema.prisma alone implies (Prisma 6.19's wasm schema engine,
 * `migrate diff --from-empty`, see scripts/prisma-diff.ts) is applied to a scratch database, and its catalog must
 * equal that of this file's database, which the migrations built.
 *
 * Not compared: objects Prisma's schema language cannot express, which the migrations add by hand. They are
 * listed here and must exist.
 */
const EXPECTED_EXTRAS = {
  extensions: ["btree_gist"],
  exclusionConstraints: [{ table: "bookings", name: "bookings_no_overlap" }],
  checkConstraints: [
    { table: "bookings", name: "bookings_time_order" },
    { table: "bookings", name: "bookings_price_nonnegative" },
    { table: "offerings", name: "offerings_duration_positive" },
    { table: "offerings", name: "offerings_price_nonnegative" },
    { table: "payments", name: "payments_refund_within_amount" },
    { table: "availability_rules", name: "availability_rules_range" },
    { table: "date_overrides", name: "date_overrides_range" },
  ],
  /** Hand-written plain indexes (e.g. partial ones), left out of the comparison. */
  indexes: [
    { table: "bookings", name: "bookings_pending_by_student_idx" },
    { table: "bookings", name: "bookings_ended_idx" },
    { table: "bookings", name: "bookings_ended_unstamped_idx" },
    { table: "bookings", name: "bookings_confirmed_by_start_idx" },
    { table: "payments", name: "payments_paid_by_update_idx" },
    { table: "refunds", name: "refunds_unsuccessful_idx" },
  ] as IgnoredIndex[],
};

const SCHEMA_PATH = "prisma/schema.prisma";
const adminUrl = inject("adminDatabaseUrl");

/** The catalog `schemaText` implies on its own, built on a scratch database. */
async function catalogOfSchema(schemaText: string): Promise<Catalog> {
  const sql = await prismaDiffSql({ from: "empty", to: schemaText, databaseUrl: process.env.DATABASE_URL! });
  return catalogOfSql(adminUrl, sql);
}

function drift(expected: Catalog, actual: Catalog) {
  return diffCatalogs(expected, actual, { ignoreIndexes: EXPECTED_EXTRAS.indexes });
}

describe("schema drift: prisma/schema.prisma vs prisma/migrations", () => {
  let migrated: Catalog;
  let described: Catalog;

  beforeAll(async () => {
    [migrated, described] = await Promise.all([
      readCatalog(process.env.DATABASE_URL!),
      catalogOfSchema(fs.readFileSync(SCHEMA_PATH, "utf8")),
    ]);
  });

  it("the migrations build exactly what schema.prisma describes", () => {
    expect(Object.keys(described.tables).length).toBeGreaterThan(0);
    const differences = drift(described, migrated);
    if (differences.length > 0) expect.fail(formatDrift(differences));
  });

  it("the hand-written extras the comparison skips exist in the migrated database", () => {
    const missing: string[] = [];
    for (const name of EXPECTED_EXTRAS.extensions) {
      if (!migrated.extensions.includes(name)) missing.push(`extension ${name}`);
    }
    for (const { table, name } of EXPECTED_EXTRAS.exclusionConstraints) {
      if (!migrated.tables[table]?.exclusions[name]) missing.push(`exclusion constraint ${table}.${name}`);
    }
    for (const { table, name } of EXPECTED_EXTRAS.checkConstraints) {
      if (!migrated.tables[table]?.checks[name]) missing.push(`check constraint ${table}.${name}`);
    }
    for (const { table, name } of EXPECTED_EXTRAS.indexes) {
      if (!migrated.tables[table]?.indexes[name]) missing.push(`index ${table}.${name}`);
    }
    expect(missing).toEqual([]);
    expect(migrated.tables.bookings.exclusions.bookings_no_overlap).toMatch(/EXCLUDE USING gist/);
  });

  it("reports a schema.prisma change that has no migration, by table and column", async () => {
    const original = fs.readFileSync(SCHEMA_PATH, "utf8");
    const edits: Array<[RegExp, string]> = [
      [/^model User \{\n/m, '$&  driftProbeNote String? @map("drift_probe_note")\n  driftProbes    DriftProbe[]\n'],
      [/^enum Role \{\n/m, "$&  DRIFT_PROBE\n"],
    ];
    let changed = original;
    for (const [pattern, replacement] of edits) {
      expect(changed, `schema.prisma no longer contains ${pattern}; update this test`).toMatch(pattern);
      changed = changed.replace(pattern, replacement);
    }
    changed += [
      "",
      "model DriftProbe {",
      "  id     String @id",
      '  userId String @map("user_id")',
      "  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)",
      "",
      "  @@index([userId])",
      '  @@map("drift_probes")',
      "}",
      "",
    ].join("\n");

    // Only what the edit adds (the first test reports drift that is already there).
    const already = new Set(drift(described, migrated));
    const differences = drift(await catalogOfSchema(changed), migrated).filter((line) => !already.has(line));
    expect(differences).toEqual([
      'enum "Role": value "DRIFT_PROBE" only in schema.prisma',
      expect.stringMatching(/^table "drift_probes": only in schema.prisma \(columns id, user_id\)$/),
      'column "users"."drift_probe_note": only in schema.prisma (text)',
    ]);
    const message = formatDrift(differences);
    expect(message).toContain('column "users"."drift_probe_note"');
    expect(message).toContain("run ../shared/tools/prisma-migrate-diff to generate the missing migration");
  });

  it("reports changed types, nullability, defaults, indexes, foreign keys and enum values", () => {
    const changed = structuredClone(migrated);
    const [tableName, table] = Object.entries(changed.tables).find(
      ([, t]) => Object.keys(t.foreignKeys).length > 0 && Object.keys(t.indexes).length > 0,
    )!;
    const [columnName, column] = Object.entries(table.columns)[0];
    column.type = "bigint";
    column.notNull = !column.notNull;
    column.default = "42";
    const [indexName] = Object.keys(table.indexes);
    delete table.indexes[indexName];
    const [fkName, fk] = Object.entries(table.foreignKeys)[0];
    fk.onDelete = fk.onDelete === "SET NULL" ? "SET DEFAULT" : "SET NULL";
    fk.definition = `${fk.definition.replace(/ ON DELETE (SET NULL|SET DEFAULT|RESTRICT|CASCADE)/, "")} ON DELETE ${fk.onDelete}`;
    const [enumName, values] = Object.entries(changed.enums)[0];
    const droppedValue = values.pop()!;

    const differences = drift(changed, migrated);
    const col = `column "${tableName}"."${columnName}"`;
    expect(differences).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${escape(col)}: type is .+ in the migrations, bigint in schema.prisma$`)),
        expect.stringMatching(new RegExp(`^${escape(col)}: (nullable|NOT NULL) in the migrations`)),
        expect.stringMatching(new RegExp(`^${escape(col)}: default is .+ in the migrations, 42 in schema.prisma$`)),
        expect.stringMatching(new RegExp(`^index "${tableName}"."${indexName}": only in the migrations`)),
        expect.stringMatching(new RegExp(`^foreign key "${tableName}"."${fkName}": .* in schema.prisma$`)),
        `enum "${enumName}": value "${droppedValue}" only in the migrations`,
      ]),
    );
    expect(differences).toHaveLength(6);
  });
});

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
