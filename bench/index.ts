/**
 * `npm run bench`: runs every benchmark module in bench/ (files named *.bench.ts exporting `run()`),
 * one after another, and prints their figures. Record the figures in docs/BENCHMARKS.md.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = import.meta.dirname;
const only = process.argv[2];
const files = fs
  .readdirSync(dir)
  .filter((file) => file.endsWith(".bench.ts") && (!only || file.includes(only)))
  .sort();

for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { run: () => Promise<void> };
  console.log(`\n=== ${file} ===`);
  await mod.run();
}
