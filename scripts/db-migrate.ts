import { migrate } from "@/lib/db/migrator";
import { loadDotEnv } from "./load-env";

loadDotEnv();
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. `npm run dev` migrates the embedded database itself; for another server set DATABASE_URL.");
  process.exit(2);
}
try {
  const result = await migrate(url);
  console.log(`Applied ${result.applied.length} migration(s)${result.applied.length ? `: ${result.applied.join(", ")}` : ""}; ${result.alreadyApplied.length} already applied.`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
