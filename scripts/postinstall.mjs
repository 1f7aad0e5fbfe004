// Generates the Prisma client after `npm ci`. A production-only install (`npm ci --omit=dev`) has no Prisma CLI:
// it must ship the client generated at build time (lib/generated), so there is nothing to do then.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

if (!fs.existsSync("node_modules/prisma/package.json")) {
  if (!fs.existsSync("lib/generated/prisma/client.ts")) console.warn("postinstall: no Prisma CLI and no generated client; run `npm run generate` where dev dependencies are installed.");
  process.exit(0);
}
const result = spawnSync("npm", ["run", "generate"], { stdio: "inherit" });
process.exit(result.status ?? 1);
