import { defineConfig } from "prisma/config";

// Prisma 7 reads the datasource URL from here. `env()` would throw when DATABASE_URL is unset (even for
// `prisma generate`), and .env is not loaded, so fall back to an empty string.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
