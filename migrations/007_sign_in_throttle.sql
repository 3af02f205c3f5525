-- Failed sign-ins to the web pages, counted per account (the typed name, case-folded)
-- and per client address, shared by every server process: enough failures in a row
-- lock the account or the address for a while, longer at each failure after.
CREATE TABLE sign_in_failures (
    kind            text NOT NULL CHECK (kind IN ('account', 'address')),
    subject         text NOT NULL,
    failures        integer NOT NULL,
    last_failed_at  timestamptz NOT NULL,
    locked_until    timestamptz,
    -- When the failures are forgotten: a quiet while after the last one and its lock.
    forget_at       timestamptz NOT NULL,
    PRIMARY KEY (kind, subject)
);
CREATE INDEX sign_in_failures_forget ON sign_in_failures (forget_at);
