-- outcomes: the totals by pillar, fiscal year and indicator, and how many projects report
-- each, kept as results arrive, so that reading them never sums every project's results.
CREATE TABLE outcome_totals (
    pillar      text    NOT NULL,
    fiscal_year text    NOT NULL,
    indicator   text    NOT NULL,
    total       bigint  NOT NULL DEFAULT 0,
    projects    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (pillar, fiscal_year, indicator)
);
-- The outcomes view reads the store again from the start to fill them (the worker's
-- follower does it as it would any lag).
TRUNCATE outcome_results;
DO $$ BEGIN
    IF to_regclass('outcomes_tracking') IS NOT NULL THEN
        DELETE FROM outcomes_tracking WHERE application_name <> '__migration__';
    END IF;
END $$;
