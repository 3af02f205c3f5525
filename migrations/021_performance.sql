-- performance: the Strategy's results framework and spending plan, as the performance
-- view folds them (grants/projections/performance.py). What the tracker knows of grant
-- money (allocations, commitments, disbursements) and of projects' results is read from
-- the funding, commitments and outcomes views' own tables when the view is queried.
CREATE TABLE performance_indicators (
    code            text    PRIMARY KEY,
    pillar          text    NOT NULL,
    expected_result text    NOT NULL,
    name_en         text    NOT NULL,
    name_fr         text    NOT NULL,
    unit            text    NOT NULL,
    direction       text    NOT NULL,
    owner           text    NOT NULL,
    retired         text,
    -- The order the framework defined them in.
    defined_at      bigint  NOT NULL
);
CREATE TABLE performance_targets (
    code        text   NOT NULL,
    fiscal_year text   NOT NULL,
    kind        text   NOT NULL,
    low         bigint NOT NULL,
    high        bigint NOT NULL,
    achieve_by  date   NOT NULL,
    PRIMARY KEY (code, fiscal_year)
);
-- Each department's latest report per indicator and period; it counts in the fiscal
-- year its period ends in.
CREATE TABLE performance_results (
    code        text   NOT NULL,
    department  text   NOT NULL,
    starts_on   date   NOT NULL,
    ends_on     date   NOT NULL,
    fiscal_year text   NOT NULL,
    value       bigint NOT NULL,
    PRIMARY KEY (code, department, starts_on, ends_on)
);
CREATE TABLE performance_explanations (
    code           text NOT NULL,
    fiscal_year    text NOT NULL,
    explanation_en text NOT NULL,
    explanation_fr text NOT NULL,
    PRIMARY KEY (code, fiscal_year)
);
-- Planned spending, and actual spending as departments report it.
CREATE TABLE performance_spending (
    department     text   NOT NULL,
    pillar         text   NOT NULL,
    fiscal_year    text   NOT NULL,
    planned_cents  bigint,
    reported_cents bigint,
    PRIMARY KEY (department, pillar, fiscal_year)
);
-- Each program's department and home pillar (its first), where its allocation counts.
CREATE TABLE performance_programs (
    program_id uuid PRIMARY KEY,
    department text NOT NULL,
    pillar     text NOT NULL
);
