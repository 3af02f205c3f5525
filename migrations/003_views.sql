-- The read models. Each belongs to one projection (grants/projections/), which folds
-- the events into it and records how far it has read in <name>_tracking, in the same
-- transaction as the rows.

-- funding: committed, disbursed (net of recoveries) and projects with a commitment, by
-- fiscal year, pillar, department and program.
CREATE TABLE funding_by_pillar (
    fiscal_year     text   NOT NULL,
    pillar          text   NOT NULL,
    department      text   NOT NULL,
    program_id      uuid   NOT NULL,
    committed_cents bigint NOT NULL DEFAULT 0,
    disbursed_cents bigint NOT NULL DEFAULT 0,
    projects        integer NOT NULL DEFAULT 0,
    PRIMARY KEY (fiscal_year, pillar, department, program_id)
);
-- What each project has committed each year, to count projects with a commitment.
CREATE TABLE funding_commitments (
    project_id      uuid   NOT NULL,
    fiscal_year     text   NOT NULL,
    committed_cents bigint NOT NULL,
    PRIMARY KEY (project_id, fiscal_year)
);

-- outcomes: each project's latest results per fiscal year.
CREATE TABLE outcome_results (
    project_id  uuid   NOT NULL,
    fiscal_year text   NOT NULL,
    indicator   text   NOT NULL,
    pillar      text   NOT NULL,
    value       bigint NOT NULL,
    PRIMARY KEY (project_id, fiscal_year, indicator)
);
CREATE INDEX outcome_results_by_pillar ON outcome_results (pillar, fiscal_year);

-- commitments: each program's allocation, commitments and disbursements per year.
CREATE TABLE program_years (
    program_id       uuid   NOT NULL,
    fiscal_year      text   NOT NULL,
    allocation_cents bigint NOT NULL DEFAULT 0,
    committed_cents  bigint NOT NULL DEFAULT 0,
    disbursed_cents  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, fiscal_year)
);

-- projects: the project list and what each project holds per fiscal year.
CREATE TABLE project_list (
    project_id      uuid PRIMARY KEY,
    program_id      uuid   NOT NULL,
    call_id         uuid,
    department      text   NOT NULL,
    pillar          text   NOT NULL,
    status          text   NOT NULL,
    title_en        text   NOT NULL,
    title_fr        text   NOT NULL,
    recipient       text   NOT NULL,
    province        text,
    requested_cents bigint NOT NULL,
    committed_cents bigint NOT NULL DEFAULT 0,
    disbursed_cents bigint NOT NULL DEFAULT 0,
    received_on     date   NOT NULL
);
CREATE INDEX project_list_by_received ON project_list (received_on DESC, project_id);
CREATE TABLE project_list_years (
    project_id      uuid   NOT NULL,
    fiscal_year     text   NOT NULL,
    committed_cents bigint NOT NULL,
    PRIMARY KEY (project_id, fiscal_year)
);
CREATE INDEX project_list_years_by_year ON project_list_years (fiscal_year) WHERE committed_cents <> 0;
