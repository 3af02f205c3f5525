-- The first answer to each command sent with an Idempotency-Key, written in the same
-- transaction as the command's events.
CREATE TABLE idempotency_keys (
    user_name   text NOT NULL,
    key         text NOT NULL,
    fingerprint text NOT NULL,
    receipt_id  uuid NOT NULL,
    version     integer NOT NULL,
    project_id  uuid,
    position    bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_name, key)
);
