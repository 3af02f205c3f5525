"""How the views stand: how far each has read, whether a worker leads it, and, when it
cannot fold an event, which one and why. What ``/health``, ``/metrics``, the jobs and
the read-your-writes wait ask; each question is one query, whatever the number of views.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
from psycopg import Connection
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier, Literal

from grants.application import Grants
from grants.projections.view import View

# The name under which positions hold the store's own head.
STORE = "store"


def leader_key(name: str) -> int:
    """The advisory lock held by the worker process that keeps a view."""
    return zlib.crc32(f"grants-projection-{name}".encode())


class Failure(msgspec.Struct):
    """A view stopped before the event at ``position``: it could not fold it."""

    position: int
    event_type: str
    error: str
    failures: int
    first_at: datetime
    last_at: datetime


class ViewState(msgspec.Struct, omit_defaults=True):
    name: str
    position: int
    lag: int
    led: bool
    failure: Failure | None = None


def positions_query(views: Sequence[View], events_table: str) -> Composed:
    """Every view's position and the store's head, in one statement."""
    parts = [
        SQL("SELECT {} AS name, coalesce(max(notification_id), 0) AS position FROM {}").format(
            Literal(STORE), Identifier(events_table)
        )
    ]
    parts += [
        SQL(
            "SELECT {} AS name, coalesce(max(notification_id), 0) FROM {}"
            " WHERE application_name = {}"
        ).format(Literal(view.name), Identifier(view.tracking_table_name), Literal(Grants.name))
        for view in views
    ]
    return SQL(" UNION ALL ").join(parts)


def _rows(conn: Connection[Any], query: Any, params: Any = None) -> list[tuple[Any, ...]]:
    # Tuples, whatever the pool's connections are set to give (eventsourcing's: dicts).
    with conn.cursor(row_factory=tuple_row) as curs:
        return curs.execute(query, params, prepare=True).fetchall()


def read_positions(conn: Connection[Any], query: Composed) -> dict[str, int]:
    return {row[0]: row[1] for row in _rows(conn, query)}


def led(conn: Connection[Any], views: Sequence[View]) -> set[str]:
    """The views some worker process leads, from the advisory locks held."""
    keys = {leader_key(view.name): view.name for view in views}
    rows = _rows(
        conn,
        "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND classid = 0 AND objsubid = 1"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND objid::bigint = ANY(%s)",
        (list(keys),),
    )
    return {keys[row[0]] for row in rows}


def failures(conn: Connection[Any]) -> dict[str, Failure]:
    rows = _rows(
        conn,
        "SELECT view, position, event_type, error, failures, first_at, last_at FROM view_failures",
    )
    return {row[0]: Failure(*row[1:]) for row in rows}


def states(conn: Connection[Any], views: Sequence[View], events_table: str) -> list[ViewState]:
    positions = read_positions(conn, positions_query(views, events_table))
    leading, failed = led(conn, views), failures(conn)
    head = positions[STORE]
    return [
        ViewState(
            name=view.name,
            position=positions[view.name],
            lag=head - positions[view.name],
            led=view.name in leading,
            failure=failed.get(view.name),
        )
        for view in views
    ]


def record_failure(
    conn: Connection[Any], view: str, position: int, event_type: str, error: str
) -> None:
    conn.execute(
        "INSERT INTO view_failures (view, position, event_type, error) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (view) DO UPDATE SET position = excluded.position,"
        " event_type = excluded.event_type, error = excluded.error,"
        " failures = view_failures.failures + 1, last_at = now()",
        (view, position, event_type, error[:2000]),
    )


def clear_failure(conn: Connection[Any], view: str) -> None:
    conn.execute("DELETE FROM view_failures WHERE view = %s", (view,))
