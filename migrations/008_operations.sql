-- What operators watch: views that cannot fold an event, and the lease of each
-- reconciliation's job, so that the job of a worker that died is taken up again.

-- A view stopped at the event before `position`: it could not fold that event.
-- The row goes when the view reads past it.
CREATE TABLE view_failures (
    view        text        PRIMARY KEY,
    position    bigint      NOT NULL,
    event_type  text        NOT NULL,
    error       text        NOT NULL,
    failures    integer     NOT NULL DEFAULT 1,
    first_at    timestamptz NOT NULL DEFAULT now(),
    last_at     timestamptz NOT NULL DEFAULT now()
);

-- A running job renews its lease; one whose lease ran out is run again. `attempts`
-- counts the runs, and names each run's job in the queue.
ALTER TABLE reconciliations
    ADD COLUMN attempts     integer NOT NULL DEFAULT 0,
    ADD COLUMN run_id       uuid,
    ADD COLUMN heartbeat_at timestamptz;
CREATE INDEX reconciliations_unfinished ON reconciliations (status)
    WHERE status IN ('queued', 'running');
