-- A kept ledger's lines, as the reconciliation job reads them: written once per run from
-- the file as it came (reconciliations.ledger), then matched to the payment register
-- reference by reference, in the database's order rather than in the job's memory.
CREATE TABLE reconciliation_ledger (
    reconciliation_id uuid    NOT NULL REFERENCES reconciliations (id),
    payment_ref       text    NOT NULL,
    line              integer NOT NULL,
    amount_cents      bigint  NOT NULL,
    paid_on           date    NOT NULL,
    recipient         text    NOT NULL,
    agreement_number  text    NOT NULL,
    PRIMARY KEY (reconciliation_id, line)
);
