-- Rate limiter state shared by every app process (rate-limiter-flexible's RateLimiterPostgres layout:
-- it is told the table exists, so it never creates it at runtime).
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- Bumped on a role change or when an account is disabled: sessions carrying an older version stop working.
ALTER TABLE "users" ADD COLUMN "session_version" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "disabled_at" TIMESTAMPTZ(3);

-- Which webhook secret the coach's Cal.com subscription was created with (a hash, never the secret).
ALTER TABLE "calcom_accounts" ADD COLUMN "webhook_secret_hash" TEXT;
