import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * A comparable picture of one PostgreSQL schema, read from pg_catalog: enums, tables, columns, primary keys,
 * indexes, foreign keys, plus the things Prisma's schema language cannot express (CHECK and EXCLUDE
 * constraints, extensions), kept apart so a drift check can ignore them and still assert they exist.
 * Used by tests/integration/schema-drift.test.ts and scripts/prisma-diff.ts.
 */
export interface Catalog {
  enums: Record<string, string[]>;
  tables: Record<string, TableCatalog>;
  extensions: string[];
}

export interface TableCatalog {
  columns: Record<string, ColumnCatalog>;
  primaryKey: { name: string; columns: string[] } | null;
  /** Indexes other than the primary key's and those behind EXCLUDE constraints (unique constraints included). */
  indexes: Record<string, IndexCatalog>;
  foreignKeys: Record<string, ForeignKeyCatalog>;
  /** name -> definition (not compared: hand-written). */
  checks: Record<string, string>;
  /** name -> definition (not compared: hand-written). */
  exclusions: Record<string, string>;
}

export interface ColumnCatalog {
  /** format_type(): `text`, `integer`, `timestamp(3) with time zone`, `character(3)`, `"Role"`... */
  type: string;
  notNull: boolean;
  default: string | null;
  identity: string | null;
  generated: string | null;
}

export interface IndexCatalog {
  unique: boolean;
  method: string;
  columns: string[];
  predicate: string | null;
  /** pg_get_indexdef(), for the details (sort order, operator classes, INCLUDE). */
  definition: string;
}

export interface ForeignKeyCatalog {
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
  definition: string;
}

/** Tables that belong to the migration machinery, not to the model. */
export const IGNORED_TABLES = new Set(["_prisma_migrations"]);

const FK_ACTIONS: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

export async function readCatalog(connectionString: string, schema = "public"): Promise<Catalog> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const catalog: Catalog = { enums: {}, tables: {}, extensions: [] };

    const enums = await client.query<{ name: string; value: string }>(
      `SELECT t.typname AS name, e.enumlabel AS value
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 ORDER BY t.typname, e.enumsortorder`,
      [schema],
    );
    for (const row of enums.rows) (catalog.enums[row.name] ??= []).push(row.value);

    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
      [schema],
    );
    for (const { name } of tables.rows) {
      if (IGNORED_TABLES.has(name)) continue;
      catalog.tables[name] = { columns: {}, primaryKey: null, indexes: {}, foreignKeys: {}, checks: {}, exclusions: {} };
    }
    const table = (name: string) => catalog.tables[name] as TableCatalog | undefined;

    const columns = await client.query<{
      table: string;
      name: string;
      type: string;
      not_null: boolean;
      default: string | null;
      identity: string;
      generated: string;
    }>(
      `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
              pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity AS identity, a.attgenerated AS generated
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`,
      [schema],
    );
    for (const row of columns.rows) {
      const t = table(row.table);
      if (!t) continue;
      const generated = row.generated ? row.default : null;
      t.columns[row.name] = {
        type: row.type,
        notNull: row.not_null,
        default: generated ? null : row.default,
        identity: row.identity || null,
        generated,
      };
    }

    const constraints = await client.query<{
      table: string;
      name: string;
      type: string;
      definition: string;
      columns: string[];
      referenced_table: string | null;
      referenced_columns: string[];
      on_delete: string;
      on_update: string;
    }>(
      `SELECT c.relname AS table, con.conname AS name, con.contype::text AS type, pg_get_constraintdef(con.oid) AS definition,
              ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
              rc.relname AS referenced_table,
              ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns,
              con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_class rc ON rc.oid = con.confrelid
        WHERE n.nspname = $1
        ORDER BY c.relname, con.conname`,
      [schema],
    );
    for (const row of constraints.rows) {
      const t = table(row.table);
      if (!t) continue;
      if (row.type === "p") t.primaryKey = { name: row.name, columns: row.columns };
      else if (row.type === "f") {
        t.foreignKeys[row.name] = {
          columns: row.columns,
          referencedTable: row.referenced_table ?? "?",
          referencedColumns: row.referenced_columns,
          onDelete: FK_ACTIONS[row.on_delete] ?? row.on_delete,
          onUpdate: FK_ACTIONS[row.on_update] ?? row.on_update,
          definition: row.definition,
        };
      } else if (row.type === "c") t.checks[row.name] = row.definition;
      else if (row.type === "x") t.exclusions[row.name] = row.definition;
      // "u" (unique constraint) is compared through its index; "t" (constraint trigger) is not modelled.
    }

    const indexes = await client.query<{
      table: string;
      name: string;
      unique: boolean;
      method: string;
      columns: string[];
      predicate: string | null;
      definition: string;
    }>(
      `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, am.amname AS method,
              ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k) AS columns,
              pg_get_expr(ix.indpred, ix.indrelid) AS predicate, pg_get_indexdef(ix.indexrelid) AS definition
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
        WHERE n.nspname = $1 AND NOT ix.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = ix.indexrelid AND x.contype = 'x')
        ORDER BY t.relname, i.relname`,
      [schema],
    );
    for (const row of indexes.rows) {
      const t = table(row.table);
      if (!t) continue;
      t.indexes[row.name] = {
        unique: row.unique,
        method: row.method,
        columns: row.columns,
        predicate: row.predicate,
        definition: row.definition,
      };
    }

    const extensions = await client.query<{ name: string }>(`SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1`);
    catalog.extensions = extensions.rows.map((row) => row.name);
    return catalog;
  } finally {
    await client.end();
  }
}

/** A hand-written index (one Prisma cannot express) that the drift check must not report. */
export interface IgnoredIndex {
  table: string;
  name: string;
}

/**
 * Differences between the schema that `schema.prisma` implies (`expected`) and the one the migrations build
 * (`actual`), one readable line each, naming the table and column. CHECK and EXCLUDE constraints and
 * extensions are not compared (Prisma's schema language cannot express them); enum values are compared as
 * sets (Prisma's migrations append new values, so their order is not the schema's concern).
 */
export function diffCatalogs(expected: Catalog, actual: Catalog, options: { ignoreIndexes?: IgnoredIndex[] } = {}): string[] {
  const out: string[] = [];
  const S = "schema.prisma";
  const M = "the migrations";
  const ignoredIndex = new Set((options.ignoreIndexes ?? []).map((i) => `${i.table}.${i.name}`));

  for (const name of union(expected.enums, actual.enums)) {
    const e = expected.enums[name];
    const a = actual.enums[name];
    if (!a) out.push(`enum "${name}": only in ${S} (values ${e.join(", ")})`);
    else if (!e) out.push(`enum "${name}": only in ${M} (values ${a.join(", ")})`);
    else {
      for (const value of e) if (!a.includes(value)) out.push(`enum "${name}": value "${value}" only in ${S}`);
      for (const value of a) if (!e.includes(value)) out.push(`enum "${name}": value "${value}" only in ${M}`);
    }
  }

  for (const tableName of union(expected.tables, actual.tables)) {
    const e = expected.tables[tableName];
    const a = actual.tables[tableName];
    if (!a) {
      out.push(`table "${tableName}": only in ${S} (columns ${Object.keys(e.columns).join(", ")})`);
      continue;
    }
    if (!e) {
      out.push(`table "${tableName}": only in ${M} (columns ${Object.keys(a.columns).join(", ")})`);
      continue;
    }

    for (const col of union(e.columns, a.columns)) {
      const ec = e.columns[col];
      const ac = a.columns[col];
      const where = `column "${tableName}"."${col}"`;
      if (!ac) out.push(`${where}: only in ${S} (${describeColumn(ec)})`);
      else if (!ec) out.push(`${where}: only in ${M} (${describeColumn(ac)})`);
      else {
        if (ec.type !== ac.type) out.push(`${where}: type is ${ac.type} in ${M}, ${ec.type} in ${S}`);
        if (ec.notNull !== ac.notNull) out.push(`${where}: ${nullability(ac)} in ${M}, ${nullability(ec)} in ${S}`);
        if (ec.default !== ac.default) out.push(`${where}: default is ${ac.default ?? "(none)"} in ${M}, ${ec.default ?? "(none)"} in ${S}`);
        if (ec.identity !== ac.identity) out.push(`${where}: identity is ${ac.identity ?? "(none)"} in ${M}, ${ec.identity ?? "(none)"} in ${S}`);
        if (ec.generated !== ac.generated) out.push(`${where}: generated as ${ac.generated ?? "(none)"} in ${M}, ${ec.generated ?? "(none)"} in ${S}`);
      }
    }

    const pk = (p: TableCatalog["primaryKey"]) => (p ? `${p.name} (${p.columns.join(", ")})` : "(none)");
    if (pk(e.primaryKey) !== pk(a.primaryKey)) out.push(`primary key of "${tableName}": ${pk(a.primaryKey)} in ${M}, ${pk(e.primaryKey)} in ${S}`);

    for (const idx of union(e.indexes, a.indexes)) {
      if (ignoredIndex.has(`${tableName}.${idx}`)) continue;
      const ei = e.indexes[idx];
      const ai = a.indexes[idx];
      const where = `index "${tableName}"."${idx}"`;
      if (!ai) out.push(`${where}: only in ${S} (${describeIndex(ei)})`);
      else if (!ei) out.push(`${where}: only in ${M} (${describeIndex(ai)})`);
      else if (ei.definition !== ai.definition) out.push(`${where}: ${describeIndex(ai)} in ${M}, ${describeIndex(ei)} in ${S}`);
    }

    for (const fk of union(e.foreignKeys, a.foreignKeys)) {
      const ef = e.foreignKeys[fk];
      const af = a.foreignKeys[fk];
      const where = `foreign key "${tableName}"."${fk}"`;
      if (!af) out.push(`${where}: only in ${S} (${describeForeignKey(ef)})`);
      else if (!ef) out.push(`${where}: only in ${M} (${describeForeignKey(af)})`);
      else if (ef.definition !== af.definition) out.push(`${where}: ${describeForeignKey(af)} in ${M}, ${describeForeignKey(ef)} in ${S}`);
    }
  }
  return out;
}

export const DRIFT_HINT =
  "Every change to prisma/schema.prisma needs a migration in prisma/migrations (and the migrations must not change the " +
  "model behind schema.prisma's back). To generate the missing migration:\n" +
  "  npx tsx scripts/prisma-diff.ts --write <name>      (same engine, from the project's devDependencies, verified), or\n" +
  "  run ../shared/tools/prisma-migrate-diff to generate the missing migration:\n" +
  "  DATABASE_URL=<any postgres> ../shared/tools/prisma-migrate-diff <(git show <rev of the last migration>:prisma/schema.prisma) \\\n" +
  "    prisma/schema.prisma > prisma/migrations/<yyyymmddhhmmss>_<name>/migration.sql";

export function formatDrift(drift: string[]): string {
  return (
    `prisma/schema.prisma and prisma/migrations disagree (${drift.length} difference${drift.length === 1 ? "" : "s"}):\n` +
    drift.map((line) => `  - ${line}`).join("\n") +
    `\n\n${DRIFT_HINT}`
  );
}

/** Creates an empty database on the server of `adminUrl`, runs `use` against it, drops it. */
export async function withScratchDatabase<T>(adminUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `drift_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await use(url.toString());
  } finally {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => cleanup.end());
  }
}

/** The catalog a SQL script builds on an empty scratch database. */
export async function catalogOfSql(adminUrl: string, sql: string): Promise<Catalog> {
  return withScratchDatabase(adminUrl, async (url) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return readCatalog(url);
  });
}

function union(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function nullability(c: ColumnCatalog) {
  return c.notNull ? "NOT NULL" : "nullable";
}

function describeColumn(c: ColumnCatalog) {
  return [c.type, c.notNull ? "NOT NULL" : null, c.default !== null ? `DEFAULT ${c.default}` : null].filter(Boolean).join(" ");
}

function describeIndex(i: IndexCatalog) {
  // "CREATE UNIQUE INDEX x ON public.t USING btree (a, b) WHERE ..." -> "unique btree (a, b) WHERE ..."
  const using = i.definition.indexOf(" USING ");
  return `${i.unique ? "unique " : ""}${using >= 0 ? i.definition.slice(using + 7) : i.definition}`;
}

function describeForeignKey(f: ForeignKeyCatalog) {
  return f.definition;
}
