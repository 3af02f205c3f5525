-- payments: finance's queue, the requests awaiting release with what finance filters
-- them by, so that a page of the queue reads the rows it shows (oldest first, through
-- the index of the filter chosen) rather than every request ever certified; and their
-- count and amount per program, fiscal year, kind and day requested, so that the
-- queue's totals read a row per such group rather than a row per request.
CREATE TABLE payment_queue (
    request_id   uuid   PRIMARY KEY,
    project_id   uuid   NOT NULL,
    program_id   uuid   NOT NULL,
    department   text   NOT NULL,
    title_en     text   NOT NULL,
    title_fr     text   NOT NULL,
    recipient    text   NOT NULL,
    fiscal_year  text   NOT NULL,
    kind         text   NOT NULL,
    amount_cents bigint NOT NULL,
    certified_by text   NOT NULL,
    requested_on date   NOT NULL
);
CREATE INDEX payment_queue_oldest ON payment_queue (requested_on, request_id);
CREATE INDEX payment_queue_by_department ON payment_queue (department, requested_on, request_id);
CREATE INDEX payment_queue_by_program ON payment_queue (program_id, requested_on, request_id);
CREATE INDEX payment_queue_by_year ON payment_queue (fiscal_year, requested_on, request_id);
CREATE INDEX payment_queue_by_kind ON payment_queue (kind, requested_on, request_id);

CREATE TABLE payment_queue_totals (
    program_id   uuid    NOT NULL,
    fiscal_year  text    NOT NULL,
    kind         text    NOT NULL,
    requested_on date    NOT NULL,
    department   text    NOT NULL,
    requests     integer NOT NULL,
    amount_cents bigint  NOT NULL,
    PRIMARY KEY (program_id, fiscal_year, kind, requested_on)
);

-- Both follow from the payment register as it stands: filled from it here rather than
-- by reading the whole store again.
INSERT INTO payment_queue
SELECT r.request_id, r.project_id, p.program_id, p.department, p.title_en, p.title_fr,
       p.recipient, r.fiscal_year, r.kind, r.amount_cents, r.certified_by, r.requested_on
FROM payment_requests r JOIN payment_projects p USING (project_id)
WHERE r.paid_on IS NULL;

INSERT INTO payment_queue_totals
SELECT program_id, fiscal_year, kind, requested_on, department, count(*), sum(amount_cents)
FROM payment_queue
GROUP BY program_id, fiscal_year, kind, requested_on, department;
