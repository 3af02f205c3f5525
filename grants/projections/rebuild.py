"""Refills views from the whole event store, in large batches, while the API keeps
serving the old rows: the new rows go into tables beside the live ones, which they
replace in one short transaction at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from eventsourcing.persistence import Notification, Tracking
from psycopg.sql import SQL, Identifier

from grants.application import Grants
from grants.projections.view import REBUILD, Event, View

BATCH = 10_000
Progress = Callable[[int, int], None]  # position reached, position aimed at


def batches(
    grants: Grants, after: int, upto: int | None, size: int = BATCH
) -> Iterator[tuple[Sequence[Event], int]]:
    """The store's events after a position (up to another, if given), decoded, in
    batches, with the position of each batch's last event."""
    while True:
        notifications: Sequence[Notification] = grants.recorder.select_notifications(
            start=after, limit=size, stop=upto, inclusive_of_start=False
        )
        if not notifications:
            return
        after = notifications[-1].id
        yield [grants.mapper.to_domain_event(n) for n in notifications], after
        if upto is not None and after >= upto:
            return


def catch_up(grants: Grants, view: View, size: int = BATCH) -> int:
    """Brings a view up to the store's head in the live tables, a batch per transaction:
    for tests and tools; the worker follows the store with a ProjectionRunner."""
    for events, position in batches(grants, view.position(), None, size):
        view.record(events, Tracking(Grants.name, position))
    return view.position()


def rebuild(grants: Grants, view: View, progress: Progress | None = None, size: int = BATCH) -> int:
    """Rebuilds one view from the first event; returns the position it reached."""
    datastore = view.datastore
    with datastore.transaction(commit=True) as curs:
        for table in view.tables:
            curs.execute(SQL("DROP TABLE IF EXISTS {}").format(Identifier(table + REBUILD)))
            curs.execute(
                SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(
                    Identifier(table + REBUILD), Identifier(table)
                )
            )
    head = grants.recorder.max_notification_id() or 0
    position = 0
    for events, position in batches(grants, 0, head, size):
        with datastore.transaction(commit=True) as curs:
            view.fold(curs, events, view.next)
            view._insert_tracking(curs, Tracking(f"{Grants.name}{REBUILD}", position))
        if progress:
            progress(position, head)
    with datastore.transaction(commit=True) as curs:
        # The projection's writes wait while the last events go in and the tables swap.
        curs.execute("SELECT pg_advisory_xact_lock(%s)", (view.lock_key,))
        for events, last in batches(grants, position, None, size):
            view.fold(curs, events, view.next)
            position = last
        for table in view.tables:
            curs.execute(SQL("DROP TABLE {}").format(Identifier(table)))
            curs.execute(
                SQL("ALTER TABLE {} RENAME TO {}").format(
                    Identifier(table + REBUILD), Identifier(table)
                )
            )
        curs.execute(
            SQL(
                "INSERT INTO {} (application_name, notification_id) VALUES (%s, %s) "
                "ON CONFLICT (application_name) "
                "DO UPDATE SET notification_id = excluded.notification_id"
            ).format(Identifier(view.tracking_table_name)),
            (Grants.name, position),
        )
        curs.execute(
            SQL("DELETE FROM {} WHERE application_name = %s").format(
                Identifier(view.tracking_table_name)
            ),
            (f"{Grants.name}{REBUILD}",),
        )
    if progress:
        progress(position, position)
    return position
