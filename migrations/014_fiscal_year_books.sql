-- The event store's own record of the books, kept by its record function under the
-- table lock, in the transaction that writes the events: the fiscal years frozen (being
-- closed, or closed). It refuses a write that touches one, whatever raced it.
CREATE TABLE fiscal_year_books (
    fiscal_year text    PRIMARY KEY,
    frozen      boolean NOT NULL DEFAULT false
);
-- The record function before it took the books' arrays.
DROP FUNCTION IF EXISTS grants_events_record(
    uuid[], bigint[], text[], bytea[], text[], text[], text[], uuid[], integer[], uuid[],
    integer[]
);
