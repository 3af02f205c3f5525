-- awards: when each grant's events were last recorded, which the 360Giving export
-- publishes as the grant's dateModified.
ALTER TABLE awards ADD COLUMN modified_at timestamptz;
-- The awards view reads the store again from the start to fill it in (the worker's
-- follower does it as it would any lag).
TRUNCATE awards, award_amendments, award_commitments, award_results, award_ref_sequences;
DO $$ BEGIN
    IF to_regclass('awards_tracking') IS NOT NULL THEN
        DELETE FROM awards_tracking WHERE application_name <> '__migration__';
    END IF;
END $$;
