/** The engine's results must not depend on the server's own zone (process.env.TZ). */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureResults } from "./tz-fixtures";

const HOST_ZONES = ["UTC", "America/Los_Angeles", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Chatham", "Australia/Adelaide"];

describe("independence from process.env.TZ", () => {
  const original = process.env.TZ;
  afterAll(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it("in this process: same ISO results under every host zone", () => {
    const results = new Map<string, string>();
    const hostOffsets = new Set<number>();
    for (const zone of HOST_ZONES) {
      process.env.TZ = zone; // Node re-reads the zone on assignment; Dates below are created afterwards.
      hostOffsets.add(new Date(2026, 0, 1).getTimezoneOffset());
      results.set(zone, JSON.stringify(fixtureResults()));
    }
    expect(hostOffsets.size).toBeGreaterThan(1); // the host zone really changed
    const reference = results.get("UTC")!;
    expect(JSON.parse(reference).flat().length).toBeGreaterThan(500);
    for (const [, value] of results) expect(value).toBe(reference);
  });

  it("in child processes started with different TZ values", { timeout: 60_000 }, () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const tsx = path.join(root, "node_modules/.bin/tsx");
    const run = (tz: string) =>
      execFileSync(tsx, ["--tsconfig", path.join(root, "tsconfig.json"), path.join(root, "lib/availability/tz-fixtures.ts")], {
        cwd: root,
        env: { ...process.env, TZ: tz },
        encoding: "utf8",
      });
    const a = run("Pacific/Kiritimati");
    const b = run("America/Anchorage");
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
    process.env.TZ = "UTC";
    expect(a).toBe(JSON.stringify(fixtureResults()));
  });
});
