-- agreements as of a day, as known at a moment (grants/projections/agreements.py): each
-- fact that changes what an agreement holds back or when its deadlines fall, with the
-- day it took effect, the moment it was recorded and the project's version. Each row
-- sets what its fact set, the other columns empty (holdback_paid_cents 0).
CREATE TABLE agreement_history (
    project_id          uuid        NOT NULL,
    version             integer     NOT NULL,
    effective_on        date        NOT NULL,
    recorded_at         timestamptz NOT NULL,
    -- The status the step leaves the project in.
    status              text,
    start_on            date,
    end_on              date,
    value_cents         bigint,
    holdback_percent    integer,
    holdback_paid_cents bigint      NOT NULL,
    -- The fiscal year a results report is for.
    reported_year       text,
    PRIMARY KEY (project_id, version)
);
