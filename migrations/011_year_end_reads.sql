-- The year-end reads what is certified and not yet released in a fiscal year: the few
-- requests awaiting release, not every payment of the year.
CREATE INDEX payment_requests_pending_by_year ON payment_requests (fiscal_year)
    WHERE paid_on IS NULL;
