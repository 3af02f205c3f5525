-- funding: what lapsed (committed and not paid when the project or its fiscal year
-- closed), beside what is outstanding, which is what is still payable.
ALTER TABLE funding_by_pillar ADD COLUMN lapsed_cents bigint NOT NULL DEFAULT 0;
-- The funding view reads the store again from the start to fill it in (the worker's
-- follower does it as it would any lag).
TRUNCATE funding_by_pillar, funding_commitments, funding_projects, funding_held;
DO $$ BEGIN
    IF to_regclass('funding_tracking') IS NOT NULL THEN
        DELETE FROM funding_tracking WHERE application_name <> '__migration__';
    END IF;
END $$;
