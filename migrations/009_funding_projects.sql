-- funding: how many fiscal years each project holds money in, and how many projects
-- hold money in any year by pillar, department and program; so that funding totals
-- count each project once without reading the project list.
CREATE TABLE funding_projects (
    project_id uuid    PRIMARY KEY,
    years      integer NOT NULL
);
CREATE TABLE funding_held (
    pillar     text    NOT NULL,
    department text    NOT NULL,
    program_id uuid    NOT NULL,
    projects   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (pillar, department, program_id)
);
-- The funding view reads the store again from the start to fill them (the worker's
-- follower does it as it would any lag).
TRUNCATE funding_by_pillar, funding_commitments;
DO $$ BEGIN
    IF to_regclass('funding_tracking') IS NOT NULL THEN
        DELETE FROM funding_tracking WHERE application_name <> '__migration__';
    END IF;
END $$;
