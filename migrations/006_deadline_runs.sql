-- The day the nightly job last worked out the deadlines, kept even when it found none.
CREATE TABLE deadline_runs (
    as_of date PRIMARY KEY
);
