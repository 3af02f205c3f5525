"""What every read model shares: its tables, a fold that writes events into them, and
the position it has read to, committed together."""

from __future__ import annotations

import gc
import zlib
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from grants.application import Grants
from grants.binary import binary_rows, column

Event = DomainEventProtocol[Any]
# An event with its position in the store.
Positioned = tuple[int, Event]

# The suffix of the tables a rebuild fills before they replace the live ones.
REBUILD = "__rebuild"


class Tables:
    """The names a view's statements are written against: the live tables, or the ones
    a rebuild fills."""

    def __init__(self, names: Sequence[str], suffix: str = "") -> None:
        self.identifiers = {name: Identifier(name + suffix) for name in names}
        self._statements: dict[str, Composed] = {}

    def sql(self, statement: str) -> Composed:
        composed = self._statements.get(statement)
        if composed is None:
            composed = self._statements[statement] = SQL(statement).format(**self.identifiers)
        return composed


class View(PostgresTrackingRecorder):
    """A read model. Subclasses name their tables (created by ``migrations/``), fold
    events into them in ``fold`` and answer queries. ``record`` commits the rows and the
    position of the last event in one transaction, so a crash or a restart never loses
    an event or counts one twice."""

    # eventsourcing retries these ten times, a fifth of a second apart, each time
    # waiting for a connection: a reader would wait many seconds to learn that the
    # database is down. One attempt; the caller answers 503 and is tried again.
    max_tracking_id = PostgresTrackingRecorder.max_tracking_id.__wrapped__

    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]]
    # The event classes the fold reads, when it reads only some: the others are passed
    # over before it runs, one set lookup each, rather than through every case of its
    # match (most of a rebuild's time was folds looking at events they ignore).
    reads: ClassVar[frozenset[type] | None] = None
    # Tables the fold only adds rows to (``Append``) and none of its statements reads
    # or upserts into: a rebuild fills them without their keys, made once each table is
    # full (agreement_history's 270,000 rows took the server 1.07 s with its key kept up
    # to date row by row, 0.43 s filled and then keyed).
    only_appended: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.live = Tables(self.tables)
        self.next = Tables(self.tables, REBUILD)

    @property
    def lock_key(self) -> int:
        """An advisory lock for writes to this view, so a rebuild's swap and the
        projection's writes take turns."""
        return zlib.crc32(f"grants-view-{self.name}".encode())

    def record(self, events: Sequence[Positioned]) -> int:
        """Folds the events the view has not read yet (a rebuild may have got there
        first) and records the last one's position; returns the view's position."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute("SELECT pg_advisory_xact_lock(%s)", (self.lock_key,))
            position = self._max_tracking_id(Grants.name, curs) or 0
            new = [event for at, event in events if at > position]
            if not new:
                return position
            self.fold(curs, self.relevant(new), self.live)
            position = events[-1][0]
            self._insert_tracking(curs, Tracking(Grants.name, position))
            return position

    def relevant(self, events: Sequence[Event]) -> Sequence[Event]:
        """The events the fold reads, in their order."""
        if self.reads is None:
            return events
        reads = self.reads
        return [event for event in events if type(event) in reads]

    @abstractmethod
    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        """Writes the effect of the events, in order, into the tables."""

    def position(self) -> int:
        return self.max_tracking_id(Grants.name) or 0


def upsert_rows(
    curs: Cursor[DictRow], statement: Composed, rows: Mapping[tuple[Any, ...], Sequence[Any]]
) -> list[DictRow]:
    """Runs a statement written over ``unnest`` of one array per column, with the
    rows given as key columns followed by value columns."""
    columns = [
        column(values)
        for values in zip(*(key + tuple(values) for key, values in rows.items()), strict=True)
    ]
    curs.execute(statement, columns)
    return curs.fetchall() if curs.description else []


class Append:
    """Rows a view only ever adds to a table, sent by COPY in PostgreSQL's binary
    format: the server does two fifths less for them than for an insert from arrays."""

    def __init__(self, table: str, columns: Sequence[tuple[str, str]]) -> None:
        """``columns``: each column's name and PostgreSQL type, in the rows' order."""
        self.kinds = tuple(kind for _, kind in columns)
        names = ", ".join(name for name, _ in columns)
        self.statement = f"COPY {{{table}}} ({names}) FROM STDIN (FORMAT binary)"

    def write(
        self,
        curs: Cursor[DictRow],
        tables: Tables,
        rows: Mapping[tuple[Any, ...], Sequence[Any]],
    ) -> None:
        """Adds the rows, given as key columns followed by value columns."""
        if not rows:
            return
        columns = zip(*(key + tuple(values) for key, values in rows.items()), strict=True)
        with curs.copy(tables.sql(self.statement)) as copy:
            copy.write(binary_rows(self.kinds, columns))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while batches are read and folded:
    they make millions of short-lived objects and no cycles (reference counting frees
    them), and the collector, woken every few hundred allocations to trace the young
    ones, took a quarter of a rebuild's time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
