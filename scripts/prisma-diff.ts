/**
 * `prisma migrate diff --script` for this project, without Prisma 7's native schema engine (which cannot be
 * downloaded on our machines). It runs Prisma 6.19's WebAssembly schema engine (`engine: "js"` with
 * @prisma/adapter-pg), installed as the devDependencies `prisma-engine-6` and `prisma-adapter-pg-6`, the same
 * way ../shared/tools/prisma-migrate-diff does from a private folder.
 *
 *   npx tsx scripts/prisma-diff.ts                 # SQL that brings prisma/migrations up to prisma/schema.prisma
 *   npx tsx scripts/prisma-diff.ts --write add_x   # ... written to prisma/migrations/<timestamp>_add_x/migration.sql
 *   npx tsx scripts/prisma-diff.ts --from empty --no-verify   # the whole schema, from an empty database
 *   options: --from FILE|empty|git:REV  --to FILE (default prisma/schema.prisma)  --write NAME  --no-verify
 *
 * 1. Checks on scratch databases whether the migrations already build what the schema describes (then: nothing
 *    to do), with the catalog comparison of tests/integration/schema-drift.test.ts.
 * 2. The engine can only diff schema files (describing a live database through the pg adapter fails in 6.19),
 *    so the SQL is the diff from a baseline schema: by default prisma/schema.prisma as committed in the last
 *    commit that touched prisma/migrations, i.e. the schema the migrations were written for.
 * 3. Verifies it: the migrations plus that SQL must give the catalog the schema gives on its own.
 * Scratch databases are created (and dropped) on DATABASE_URL's server (also read from .env), else on an
 * embedded PostgreSQL started for the run. `--no-verify` skips 1 and 3.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const SCHEMA_PATH = "prisma/schema.prisma";
const ENGINE_PACKAGE = "prisma-engine-6";
const ADAPTER_PACKAGE = "prisma-adapter-pg-6";

export interface Prisma6 {
  /** Prisma 6 CLI entry (build/index.js). */
  cli: string;
  /** `prisma/config` of that CLI (defineConfig). */
  config: string;
  /** @prisma/adapter-pg 6 entry. */
  adapter: string;
  version: string;
}

/** Finds the Prisma 6 CLI and adapter installed as npm aliases in the project's devDependencies. */
export function resolvePrisma6(): Prisma6 {
  const require = createRequire(import.meta.url);
  try {
    const pkgPath = require.resolve(`${ENGINE_PACKAGE}/package.json`);
    const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8")) as { version: string };
    if (!pkg.version.startsWith("6.")) throw new Error(`${ENGINE_PACKAGE} is prisma@${pkg.version}, expected 6.x`);
    const dir = path.dirname(pkgPath);
    return {
      cli: path.join(dir, "build/index.js"),
      config: path.join(dir, "config.js"),
      adapter: require.resolve(ADAPTER_PACKAGE),
      version: pkg.version,
    };
  } catch (error) {
    throw new Error(
      `Prisma 6's WebAssembly schema engine is not installed (${(error as Error).message.split("\n")[0]}). It comes from the devDependencies ` +
        `"${ENGINE_PACKAGE}": "npm:prisma@6.19.3" and "${ADAPTER_PACKAGE}": "npm:@prisma/adapter-pg@6.19.3": run \`npm ci\`.`,
    );
  }
}

/**
 * Makes a schema file Prisma 6 accepts for a datamodel diff: generator blocks dropped (they would ask for
 * engines), `url = env("DATABASE_URL")` in the datasource (Prisma 7 keeps the URL in prisma.config.ts).
 */
export function toPrisma6Schema(schema: string): string {
  const withoutGenerators = schema.replace(/^generator\s+\w+\s*\{[\s\S]*?^\}\s*/gm, "");
  return withoutGenerators.replace(
    /^(datasource\s+\w+\s*\{)([\s\S]*?)^\}/m,
    (_, head: string, body: string) => `${head}${body.replace(/^\s*url\s*=.*\n/gm, "")}  url      = env("DATABASE_URL")\n}`,
  );
}

const EMPTY_SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n';
// A schema whose generator uses the engine-free client, so the CLI asks for no native engine.
const ANCHOR_SCHEMA =
  'generator client {\n  provider   = "prisma-client"\n  output     = "./unused"\n  engineType = "client"\n}\n' +
  'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n';

export interface DiffOptions {
  /** Schema text, or "empty" for an empty database. */
  from: string;
  /** Schema text. */
  to: string;
  /** A PostgreSQL the engine may connect to (it reads the server version; nothing is changed there). */
  databaseUrl: string;
  timeoutMs?: number;
}

/** `prisma migrate diff --from-schema-datamodel FROM --to-schema-datamodel TO --script`, with Prisma 6's wasm engine. */
export async function prismaDiffSql({ from, to, databaseUrl, timeoutMs = 60_000 }: DiffOptions): Promise<string> {
  const prisma = resolvePrisma6();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "prisma-diff-"));
  try {
    const file = (name: string, text: string) => {
      const target = path.join(work, name);
      fs.writeFileSync(target, text);
      return target;
    };
    const anchor = file("anchor.prisma", ANCHOR_SCHEMA);
    // Absolute imports: the aliased packages cannot be reached by their usual names from a temp folder.
    const config = file(
      "prisma.config.mjs",
      [
        `import { defineConfig } from ${JSON.stringify(pathToFileURL(prisma.config).href)};`,
        `import { PrismaPg } from ${JSON.stringify(pathToFileURL(prisma.adapter).href)};`,
        "export default defineConfig({",
        "  experimental: { adapter: true },",
        '  engine: "js",',
        `  schema: ${JSON.stringify(anchor)},`,
        // allowExitOnIdle: without it the idle pool keeps the CLI alive ~10 s after it has printed the diff.
        "  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL, allowExitOnIdle: true }),",
        "});",
        "",
      ].join("\n"),
    );
    const fromSchema = file("from.prisma", toPrisma6Schema(from === "empty" ? EMPTY_SCHEMA : from));
    const toSchema = file("to.prisma", toPrisma6Schema(to));
    // The caller's PRISMA_* engine overrides are for Prisma 7; keep them away from the Prisma 6 CLI.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PRISMA_"))) as NodeJS.ProcessEnv;
    Object.assign(env, { DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" });
    const args = [
      prisma.cli,
      "migrate",
      "diff",
      "--config",
      config,
      ...(from === "empty" ? ["--from-empty"] : ["--from-schema-datamodel", fromSchema]),
      "--to-schema-datamodel",
      toSchema,
      "--script",
    ];
    return await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, args, { cwd: work, env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) {
          const detail = String(stderr).replace(/^Loaded Prisma config.*\n/m, "").trim();
          reject(new Error(`prisma@${prisma.version} migrate diff failed (${error.killed ? "timed out" : `exit ${error.code}`}): ${detail || error.message}`));
        } else {
          resolve(String(stdout));
        }
      });
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** True when a migrate-diff script has no statement (only comments / blank lines). */
export function isEmptyScript(sql: string): boolean {
  return sql
    .split("\n")
    .map((line) => line.trim())
    .every((line) => line === "" || line.startsWith("--"));
}

// ---------------------------------------------------------------------------------------------------------
// Command line

function git(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`git ${args.join(" ")}: ${String(stderr).trim() || error.message}`)) : resolve(String(stdout)),
    );
  });
}

async function readSource(spec: string, schemaPath: string): Promise<{ text: string; label: string }> {
  if (spec === "empty") return { text: "empty", label: "an empty database" };
  if (spec.startsWith("git:")) {
    const rev = spec.slice(4);
    return { text: await git(["show", `${rev}:${schemaPath}`]), label: `${schemaPath} at ${rev}` };
  }
  return { text: fs.readFileSync(spec, "utf8"), label: spec };
}

async function main(argv: string[]) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: "string" },
      to: { type: "string", default: SCHEMA_PATH },
      write: { type: "string" },
      "no-verify": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npx tsx scripts/prisma-diff.ts [--from FILE|empty|git:REV] [--to FILE] [--write NAME] [--no-verify]");
    return 0;
  }
  const { loadDotEnv } = await import("./load-env");
  loadDotEnv();
  const verifying = !values["no-verify"];
  const to = { text: fs.readFileSync(values.to!, "utf8"), label: values.to! };

  const { startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres");
  let embedded: { url: string; stop(): Promise<void> } | undefined;
  let tmp: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  try {
    if (!serverUrl) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prisma-diff-pg-"));
      fs.chmodSync(tmp, 0o755);
      embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "data"), database: "postgres", ephemeral: true });
      serverUrl = embedded.url;
    }
    const check = verifying ? await checker(serverUrl, to.text) : undefined;
    if (check && !values.from) {
      const drift = await check.drift("");
      if (drift.length === 0) {
        console.error(`Nothing to do: prisma/migrations already build exactly what ${to.label} describes.`);
        return 0;
      }
      console.error(`prisma/migrations lag behind ${to.label}:\n${drift.map((line) => `  - ${line}`).join("\n")}`);
    }

    const from = await readSource(values.from ?? (await defaultBaseline()), SCHEMA_PATH);
    console.error(`Diffing ${from.label} -> ${to.label} with Prisma ${resolvePrisma6().version}'s wasm schema engine...`);
    const sql = await prismaDiffSql({ from: from.text, to: to.text, databaseUrl: serverUrl });
    if (isEmptyScript(sql)) {
      console.error(`No difference between ${from.label} and ${to.label}${check ? " (but the migrations do differ: pass --from)" : ""}.`);
      return check ? 1 : 0;
    }
    let verified = true;
    if (check) {
      const drift = await check.drift(sql).catch((error: Error) => [`the SQL does not apply after the migrations: ${error.message}`]);
      verified = drift.length === 0;
      console.error(
        verified
          ? "Verified: the migrations plus this SQL build exactly what the schema describes."
          : `NOT verified (is ${from.label} the schema the migrations were written for? pass --from):\n` +
              drift.map((line) => `  - ${line}`).join("\n"),
      );
    }
    if (values.write && verified) {
      const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
      const dir = path.join("prisma/migrations", `${stamp}_${values.write.replace(/[^A-Za-z0-9_]+/g, "_")}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "migration.sql"), sql);
      console.error(`Wrote ${path.join(dir, "migration.sql")}. Review it, add any hand-written SQL, then \`npm run db:migrate\`.`);
    } else {
      if (values.write) console.error("Not written (not verified); the SQL follows.");
      process.stdout.write(sql);
    }
    return verified ? 0 : 1;
  } finally {
    await embedded?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** schema.prisma as committed in the last commit that touched prisma/migrations: the schema they were written for. */
async function defaultBaseline(): Promise<string> {
  const rev = (await git(["log", "-1", "--format=%H", "--", "prisma/migrations"]).catch(() => "")).trim();
  if (!rev) return "empty";
  const pending = (await git(["status", "--porcelain", "--", "prisma/migrations"]).catch(() => "")).trim();
  if (pending) {
    console.error(
      `note: prisma/migrations has uncommitted changes; the baseline is ${SCHEMA_PATH} at ${rev.slice(0, 12)}, the last commit ` +
        "touching prisma/migrations. If the new migrations cover part of the change, pass --from with the schema they were written for.",
    );
  }
  return `git:${rev}`;
}

/**
 * Compares, on scratch databases, "prisma/migrations + extra SQL" with what the target schema alone builds.
 * Differences are reported like tests/integration/schema-drift.test.ts does (hand-written CHECK/EXCLUDE
 * constraints and extensions are not compared).
 */
async function checker(serverUrl: string, toSchema: string) {
  const pg = (await import("pg")).default;
  const { migrate } = await import("@/lib/db/migrator");
  const { readCatalog, diffCatalogs, withScratchDatabase, catalogOfSql } = await import("../tests/support/schema-catalog");
  const expected = await catalogOfSql(serverUrl, await prismaDiffSql({ from: "empty", to: toSchema, databaseUrl: serverUrl }));
  return {
    async drift(extraSql: string): Promise<string[]> {
      const actual = await withScratchDatabase(serverUrl, async (url) => {
        await migrate(url);
        if (!isEmptyScript(extraSql)) {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await client.query(extraSql);
          } finally {
            await client.end();
          }
        }
        return readCatalog(url);
      });
      return diffCatalogs(expected, actual);
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
