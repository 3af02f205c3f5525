-- performance as of a day, as known at a moment (grants/projections/performance.py):
-- each fact of the results framework, the spending plan and projects' results is kept
-- with the day it took effect, the moment it was recorded and its aggregate's version
-- (the order it was recorded in); a question reads the latest row of each key among
-- those it keeps. The tables of the latest facts alone go: today is the question that
-- keeps every row.
DROP TABLE performance_indicators, performance_targets, performance_results,
    performance_explanations, performance_spending;

CREATE TABLE performance_indicator_history (
    code            text        NOT NULL,
    version         integer     NOT NULL,
    effective_on    date        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    pillar          text        NOT NULL,
    expected_result text        NOT NULL,
    name_en         text        NOT NULL,
    name_fr         text        NOT NULL,
    unit            text        NOT NULL,
    direction       text        NOT NULL,
    owner           text        NOT NULL,
    PRIMARY KEY (code, version)
);
CREATE TABLE performance_retirement_history (
    code         text        NOT NULL,
    version      integer     NOT NULL,
    effective_on date        NOT NULL,
    recorded_at  timestamptz NOT NULL,
    reason       text        NOT NULL,
    PRIMARY KEY (code, version)
);
CREATE TABLE performance_target_history (
    code         text        NOT NULL,
    fiscal_year  text        NOT NULL,
    version      integer     NOT NULL,
    effective_on date        NOT NULL,
    recorded_at  timestamptz NOT NULL,
    kind         text        NOT NULL,
    low          bigint      NOT NULL,
    high         bigint      NOT NULL,
    achieve_by   date        NOT NULL,
    PRIMARY KEY (code, fiscal_year, version)
);
-- Departments' reports per indicator and period; one counts in the fiscal year its
-- period ends in.
CREATE TABLE performance_result_history (
    code         text        NOT NULL,
    department   text        NOT NULL,
    starts_on    date        NOT NULL,
    ends_on      date        NOT NULL,
    version      integer     NOT NULL,
    effective_on date        NOT NULL,
    recorded_at  timestamptz NOT NULL,
    fiscal_year  text        NOT NULL,
    value        bigint      NOT NULL,
    PRIMARY KEY (code, department, starts_on, ends_on, version)
);
CREATE TABLE performance_explanation_history (
    code           text        NOT NULL,
    fiscal_year    text        NOT NULL,
    version        integer     NOT NULL,
    effective_on   date        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    explanation_en text        NOT NULL,
    explanation_fr text        NOT NULL,
    PRIMARY KEY (code, fiscal_year, version)
);
-- Planned spending (planned_cents) or spending as a department reported it
-- (reported_cents): each row sets one of the two.
CREATE TABLE performance_spending_history (
    department     text        NOT NULL,
    pillar         text        NOT NULL,
    fiscal_year    text        NOT NULL,
    version        integer     NOT NULL,
    effective_on   date        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    planned_cents  bigint,
    reported_cents bigint,
    PRIMARY KEY (department, pillar, fiscal_year, version)
);
-- Each project's results reports (a later one for the same year replaces the earlier):
-- its figures by indicator code.
CREATE TABLE performance_project_results (
    project_id   uuid        NOT NULL,
    fiscal_year  text        NOT NULL,
    version      integer     NOT NULL,
    effective_on date        NOT NULL,
    recorded_at  timestamptz NOT NULL,
    figures      jsonb       NOT NULL,
    PRIMARY KEY (project_id, fiscal_year, version)
);

-- The performance view reads the store again from the start to fill them (the worker's
-- follower does it as it would any lag).
TRUNCATE performance_programs;
DO $$ BEGIN
    IF to_regclass('performance_tracking') IS NOT NULL THEN
        DELETE FROM performance_tracking WHERE application_name <> '__migration__';
    END IF;
END $$;
