-- as_of: the books as of any day, as known at any moment (grants/projections/as_of.py).

-- Every change of money, with the day it took effect and the moment it was recorded:
-- summed over the changes a question keeps, it answers any day and any moment.
CREATE TABLE money_changes (
    project_id      uuid        NOT NULL,
    program_id      uuid        NOT NULL,
    fiscal_year     text        NOT NULL,
    pillar          text        NOT NULL,
    department      text        NOT NULL,
    effective_on    date        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    committed_cents bigint      NOT NULL,
    disbursed_cents bigint      NOT NULL,
    lapsed_cents    bigint      NOT NULL,
    -- Certified and not yet released.
    pending_cents   bigint      NOT NULL
);
CREATE INDEX money_changes_by_program ON money_changes (program_id, fiscal_year);

-- Allocations are set, not added: the last one set (the highest version) counts.
CREATE TABLE allocation_changes (
    program_id   uuid        NOT NULL,
    fiscal_year  text        NOT NULL,
    version      integer     NOT NULL,
    effective_on date        NOT NULL,
    recorded_at  timestamptz NOT NULL,
    amount_cents bigint      NOT NULL,
    PRIMARY KEY (program_id, fiscal_year, version)
);

-- Where each project's payment requests charge: its program, pillar and department.
CREATE TABLE as_of_projects (
    project_id uuid PRIMARY KEY,
    program_id uuid NOT NULL,
    pillar     text NOT NULL,
    department text NOT NULL
);

-- Funding by pillar as of the end of each day it changed, per row.
CREATE TABLE funding_as_of_rows (
    fiscal_year text NOT NULL,
    pillar      text NOT NULL,
    department  text NOT NULL,
    program_id  uuid NOT NULL,
    PRIMARY KEY (fiscal_year, pillar, department, program_id)
);
CREATE TABLE funding_as_of (
    fiscal_year     text   NOT NULL,
    pillar          text   NOT NULL,
    department      text   NOT NULL,
    program_id      uuid   NOT NULL,
    effective_on    date   NOT NULL,
    committed_cents bigint NOT NULL,
    disbursed_cents bigint NOT NULL,
    lapsed_cents    bigint NOT NULL,
    projects        bigint NOT NULL,
    PRIMARY KEY (fiscal_year, pillar, department, program_id, effective_on)
);
-- What each project committed to each year, and in how many years it held money, as
-- of each day: the steps of the projects counted above and below.
CREATE TABLE funding_pairs_as_of (
    project_id      uuid   NOT NULL,
    fiscal_year     text   NOT NULL,
    effective_on    date   NOT NULL,
    committed_cents bigint NOT NULL,
    PRIMARY KEY (project_id, fiscal_year, effective_on)
);
CREATE TABLE funding_years_as_of (
    project_id   uuid   NOT NULL,
    effective_on date   NOT NULL,
    years        bigint NOT NULL,
    PRIMARY KEY (project_id, effective_on)
);
CREATE TABLE funding_held_as_of (
    pillar       text   NOT NULL,
    department   text   NOT NULL,
    program_id   uuid   NOT NULL,
    effective_on date   NOT NULL,
    projects     bigint NOT NULL,
    PRIMARY KEY (pillar, department, program_id, effective_on)
);

-- Each close's statement: the year's funding rows as the store held them when the
-- year was closed, lapses included.
CREATE TABLE closing_statements (
    fiscal_year     text        NOT NULL,
    closed_at       timestamptz NOT NULL,
    closed_by       text        NOT NULL,
    closed_on       date        NOT NULL,
    pillar          text        NOT NULL,
    department      text        NOT NULL,
    program_id      uuid        NOT NULL,
    committed_cents bigint      NOT NULL,
    disbursed_cents bigint      NOT NULL,
    lapsed_cents    bigint      NOT NULL,
    projects        bigint      NOT NULL,
    PRIMARY KEY (fiscal_year, closed_at, pillar, department, program_id)
);

-- The nightly job's service-standard cases about to miss their standard (or overdue),
-- as of the night it ran: what officers chase that day.
CREATE TABLE service_standard_flags (
    flagged_on  date NOT NULL,
    case_id     uuid NOT NULL,
    standard    text NOT NULL,
    project_id  uuid NOT NULL,
    program_id  uuid NOT NULL,
    started_on  date NOT NULL,
    due_on      date NOT NULL,
    PRIMARY KEY (case_id, standard)
);
