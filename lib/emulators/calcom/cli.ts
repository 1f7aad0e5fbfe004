/**
 * Standalone Cal.com emulator:
 *   npx tsx lib/emulators/calcom/cli.ts --port 5555 [--client-id id] [--client-secret s] [--api-key cal_...]
 *                                       [--webhook-secret s] [--subscribe http://localhost:3000/api/webhooks/calcom] [--no-strict]
 * Point the app at it with CALCOM_API_URL=http://127.0.0.1:5555 and the printed credentials.
 */
import { startCalcomEmulator } from "./index";

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const emulator = await startCalcomEmulator({
  port: Number(arg("port") ?? 5555),
  host: arg("host") ?? "127.0.0.1",
  clientId: arg("client-id"),
  clientSecret: arg("client-secret"),
  apiKey: arg("api-key"),
  webhookSecret: arg("webhook-secret"),
  strict: !process.argv.includes("--no-strict"),
});
const subscribe = arg("subscribe");
if (subscribe) emulator.webhooks.subscribe(subscribe);

console.log(`Cal.com emulator listening on ${emulator.url}`);
console.log(`  CALCOM_API_URL=${emulator.url}`);
console.log(`  CALCOM_CLIENT_ID=${emulator.config.clientId}`);
console.log(`  CALCOM_CLIENT_SECRET=${emulator.config.clientSecret}`);
console.log(`  CALCOM_API_KEY=${emulator.config.apiKey}   (API-key mode alternative)`);
console.log(`  CALCOM_WEBHOOK_SECRET=${emulator.config.webhookSecret}${subscribe ? `   (webhooks → ${subscribe})` : ""}`);

let reported = 0;
const timer = setInterval(() => {
  for (const violation of emulator.violations.slice(reported)) console.error(`OpenAPI violation: ${violation}`);
  reported = emulator.violations.length;
}, 1000);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    clearInterval(timer);
    void emulator.stop().then(() => process.exit(0));
  });
}
