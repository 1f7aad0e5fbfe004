import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded-postgres";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The built app (this tier builds it once) refuses to start in production on a configuration it cannot serve, and
 * says what is missing, rather than listen and answer every request with a 500 (instrumentation-node.ts).
 */
describe("next start in production", () => {
  it("exits 1 and names what is missing when APP_URL and NEXTAUTH_SECRET are not set", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: "postgresql://nobody:none@127.0.0.1:1/none", COACHBOOK_WORKER: "off" };
    for (const key of ["APP_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "STRIPE_SECRET_KEY", "CALCOM_API_KEY", "CALCOM_CLIENT_ID", "CALCOM_CLIENT_SECRET"]) delete env[key];
    const server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    server.stdout.on("data", (chunk) => (output += chunk));
    server.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        server.kill("SIGKILL");
        resolve(null);
      }, 30_000);
      server.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code, output).toBe(1);
    expect(output).toContain("Invalid environment configuration");
    expect(output).toContain("APP_URL: required in production");
    expect(output).toContain("NEXTAUTH_SECRET: required in production");
  }, 40_000);
});
