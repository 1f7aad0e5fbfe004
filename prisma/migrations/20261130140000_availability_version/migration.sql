-- A per-coach counter that changes whenever the coach's free time may have changed: a booking or hold is
-- created, changes status or time, or is deleted; weekly rules, date overrides, offerings or the Cal.com sync
-- state change; or the coach's own settings change. App instances put it in their slot cache keys, and read it in
-- the same round trip as the rules, so a change made through any instance invalidates every instance's cache.
ALTER TABLE "coach_profiles" ADD COLUMN "availability_version" INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION coachbook_bump_availability_version(target_coach_id TEXT) RETURNS void LANGUAGE sql AS $$
  UPDATE "coach_profiles" SET "availability_version" = "availability_version" + 1 WHERE "id" = target_coach_id;
$$;

CREATE FUNCTION coachbook_bump_availability_version_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM coachbook_bump_availability_version(OLD."coach_id"); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW."coach_id" IS DISTINCT FROM OLD."coach_id") THEN
    PERFORM coachbook_bump_availability_version(NEW."coach_id");
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "bookings_availability_version"
  AFTER INSERT OR DELETE OR UPDATE OF "status", "blocked_from", "blocked_until", "coach_id" ON "bookings"
  FOR EACH ROW EXECUTE FUNCTION coachbook_bump_availability_version_row();
CREATE TRIGGER "availability_rules_availability_version"
  AFTER INSERT OR UPDATE OR DELETE ON "availability_rules"
  FOR EACH ROW EXECUTE FUNCTION coachbook_bump_availability_version_row();
CREATE TRIGGER "date_overrides_availability_version"
  AFTER INSERT OR UPDATE OR DELETE ON "date_overrides"
  FOR EACH ROW EXECUTE FUNCTION coachbook_bump_availability_version_row();
CREATE TRIGGER "offerings_availability_version"
  AFTER INSERT OR UPDATE OR DELETE ON "offerings"
  FOR EACH ROW EXECUTE FUNCTION coachbook_bump_availability_version_row();
-- A sync changes what Cal.com answers (its schedule and event types), and token refreshes do not matter.
CREATE TRIGGER "calcom_accounts_availability_version"
  AFTER INSERT OR DELETE OR UPDATE OF "synced_at", "schedule_id", "calcom_user_id", "coach_id" ON "calcom_accounts"
  FOR EACH ROW EXECUTE FUNCTION coachbook_bump_availability_version_row();

-- The coach's own settings (zone, buffers, notice, horizon, interval): any update that does not itself set the
-- counter bumps it.
CREATE FUNCTION coachbook_bump_own_availability_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."availability_version" = OLD."availability_version" THEN
    NEW."availability_version" := OLD."availability_version" + 1;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "coach_profiles_availability_version"
  BEFORE UPDATE ON "coach_profiles"
  FOR EACH ROW EXECUTE FUNCTION coachbook_bump_own_availability_version();
