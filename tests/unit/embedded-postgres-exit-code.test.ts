import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

/** Runs a one-line module in a fresh Node process that has loaded lib/db/embedded-postgres.ts, and returns its exit status. */
function exitStatusAfter(body: string) {
  const source = `import "./lib/db/embedded-postgres.ts";\n${body}\n`;
  const result = spawnSync(tsx, ["--input-type=module", "-e", source], { cwd: root, encoding: "utf8" });
  return { status: result.status, stderr: result.stderr };
}

// embedded-postgres's exit hook used to turn every natural exit into process.exit(0): vitest's
// exitCode = 1 after failed tests was lost, and `npm test` passed with failing tests.
describe("a process that loaded embedded-postgres", () => {
  it("keeps the exit code it set", () => {
    expect(exitStatusAfter("process.exitCode = 3;")).toEqual({ status: 3, stderr: "" });
  });

  it("still exits 0 when nothing failed", () => {
    expect(exitStatusAfter("")).toEqual({ status: 0, stderr: "" });
  });
});
