-- Ledgers as the financial system exports them. A mapping says which of a layout's
-- columns holds what (grants.finance.columns, as JSON), under a name per department,
-- with who defined it and when; its header, as the file wrote it, offers it again for
-- the next file with the same header.
CREATE TABLE ledger_mappings (
    department text        NOT NULL,
    name       text        NOT NULL,
    header     text[]      NOT NULL,
    columns    jsonb       NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (department, name)
);

-- A ledger whose layout the tracker does not know yet, kept while finance says which
-- column holds what; removed when it is sent to be reconciled, or after a day.
CREATE TABLE ledger_drafts (
    id          uuid PRIMARY KEY,
    fiscal_year text        NOT NULL,
    uploaded_by text        NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    filename    text,
    ledger      bytea       NOT NULL
);

-- The mapping a reconciliation read its ledger with, as it was then (NULL: the
-- tracker's own column names), so that a run again reads the file the same way.
ALTER TABLE reconciliations ADD COLUMN mapping_name text, ADD COLUMN mapping jsonb;
