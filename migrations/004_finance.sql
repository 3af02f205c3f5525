-- Finance: the payment register and the award register (two more views, each with its
-- <name>_tracking table made by eventsourcing), the ledger reconciliations, and the
-- deadlines the nightly job works out from the award register and the day's date.

-- payments: every certified payment request, released or not, and every recovery.
CREATE TABLE payment_projects (
    project_id       uuid PRIMARY KEY,
    program_id       uuid NOT NULL,
    department       text NOT NULL,
    pillar           text NOT NULL,
    title_en         text NOT NULL,
    title_fr         text NOT NULL,
    recipient        text NOT NULL,
    agreement_number text NOT NULL DEFAULT ''
);
CREATE TABLE payment_requests (
    request_id   uuid PRIMARY KEY,
    project_id   uuid   NOT NULL,
    fiscal_year  text   NOT NULL,
    amount_cents bigint NOT NULL,
    kind         text   NOT NULL,
    certified_by text   NOT NULL,
    requested_on date   NOT NULL,
    released_by  text,
    payment_ref  text,
    paid_on      date
);
CREATE INDEX payment_requests_awaiting ON payment_requests (requested_on) WHERE paid_on IS NULL;
CREATE INDEX payment_requests_by_year ON payment_requests (fiscal_year);
CREATE INDEX payment_requests_by_ref ON payment_requests (payment_ref);
CREATE TABLE payment_recoveries (
    project_id   uuid    NOT NULL,
    version      integer NOT NULL,
    payment_ref  text    NOT NULL,
    fiscal_year  text    NOT NULL,
    amount_cents bigint  NOT NULL,
    recovered_on date    NOT NULL,
    recovered_by text    NOT NULL,
    PRIMARY KEY (project_id, version)
);
CREATE INDEX payment_recoveries_by_year ON payment_recoveries (fiscal_year);
CREATE INDEX payment_recoveries_by_ref ON payment_recoveries (payment_ref);

-- awards: each project from its application on, its agreement and amendments, its
-- commitments as they changed, and the fiscal years it reported results for.
CREATE TABLE awards (
    project_id          uuid PRIMARY KEY,
    program_id          uuid    NOT NULL,
    call_id             uuid,
    department          text    NOT NULL,
    pillar              text    NOT NULL,
    transfer_type       text    NOT NULL,
    status              text    NOT NULL,
    title_en            text    NOT NULL,
    title_fr            text    NOT NULL,
    recipient           jsonb   NOT NULL,
    requested_cents     bigint  NOT NULL,
    received_on         date    NOT NULL,
    approved_on         date,
    signed_on           date,
    start_on            date,
    end_on              date,
    holdback_percent    integer NOT NULL DEFAULT 0,
    value_cents         bigint  NOT NULL DEFAULT 0,
    holdback_paid_cents bigint  NOT NULL DEFAULT 0,
    disclosure          jsonb,
    -- The agreement's place in its department's disclosures: fiscal year and quarter
    -- of signing, and its number among that quarter's agreements.
    ref_fiscal_year     text,
    ref_quarter         integer,
    ref_sequence        integer
);
CREATE INDEX awards_by_program ON awards (program_id);
CREATE INDEX awards_by_end ON awards (end_on) WHERE signed_on IS NOT NULL;
CREATE TABLE award_amendments (
    project_id       uuid    NOT NULL,
    amendment_number integer NOT NULL,
    amended_on       date    NOT NULL,
    value_cents      bigint  NOT NULL,
    start_on         date    NOT NULL,
    end_on           date    NOT NULL,
    PRIMARY KEY (project_id, amendment_number)
);
CREATE INDEX award_amendments_by_date ON award_amendments (amended_on);
CREATE TABLE award_commitments (
    program_id   uuid    NOT NULL,
    version      integer NOT NULL,
    fiscal_year  text    NOT NULL,
    project_id   uuid    NOT NULL,
    amount_cents bigint  NOT NULL,
    changed_on   date    NOT NULL,
    reason       text    NOT NULL,
    PRIMARY KEY (program_id, version, fiscal_year)
);
CREATE INDEX award_commitments_by_project ON award_commitments (project_id);
CREATE TABLE award_results (
    project_id  uuid NOT NULL,
    fiscal_year text NOT NULL,
    reported_on date NOT NULL,
    PRIMARY KEY (project_id, fiscal_year)
);
CREATE TABLE award_ref_sequences (
    department  text    NOT NULL,
    fiscal_year text    NOT NULL,
    quarter     integer NOT NULL,
    last        integer NOT NULL,
    PRIMARY KEY (department, fiscal_year, quarter)
);

-- Reconciliations of the financial system's payment ledger. The file is kept as it
-- came, with who sent it and its checksum; the job writes the report beside it.
CREATE TABLE reconciliations (
    id            uuid PRIMARY KEY,
    fiscal_year   text        NOT NULL,
    status        text        NOT NULL,
    uploaded_by   text        NOT NULL,
    uploaded_at   timestamptz NOT NULL DEFAULT now(),
    filename      text,
    sha256        text        NOT NULL,
    ledger        bytea       NOT NULL,
    line_count    integer     NOT NULL,
    store_position bigint     NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz,
    error         text,
    counts        jsonb,
    totals_cents  jsonb
);
CREATE INDEX reconciliations_by_year ON reconciliations (fiscal_year, uploaded_at DESC);
CREATE TABLE reconciliation_lines (
    reconciliation_id uuid    NOT NULL REFERENCES reconciliations (id),
    seq               integer NOT NULL,
    class             text    NOT NULL,
    payment_ref       text    NOT NULL,
    ledger_line       integer,
    ledger_cents      bigint,
    ledger_paid_on    date,
    ledger_recipient  text,
    ledger_agreement  text,
    tracker_cents     bigint,
    tracker_paid_on   date,
    project_id        uuid,
    tracker_recipient text,
    PRIMARY KEY (reconciliation_id, seq)
);

-- Deadlines as of a day: agreements ending within 90 days, results reports overdue.
-- Rewritten whole by the nightly job.
CREATE TABLE deadlines (
    kind        text NOT NULL,
    project_id  uuid NOT NULL,
    fiscal_year text NOT NULL DEFAULT '',
    due_on      date NOT NULL,
    as_of       date NOT NULL,
    PRIMARY KEY (kind, project_id, fiscal_year)
);
