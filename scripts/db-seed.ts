import { createPrismaClient } from "@/lib/db/client";
import { DEMO_PASSWORD, seedDemoData } from "@/lib/db/seed";
import { loadDotEnv } from "./load-env";

loadDotEnv();
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. `npm run dev` seeds the embedded database itself; for another server set DATABASE_URL.");
  process.exit(2);
}
const db = createPrismaClient(url);
const { created } = await seedDemoData(db);
console.log(created.length ? `Seeded: ${created.join(", ")} (password: ${DEMO_PASSWORD})` : "Demo data already present.");
await db.$disconnect();
