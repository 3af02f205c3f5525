"""Refills views from the whole event store, in large batches, while the API keeps
serving the old rows: the new rows go into tables beside the live ones, which they
replace in one short transaction at the end.

Folding is Python, which a process runs on one core at a time: ``rebuild_in_processes``
shares the views among a process per core, each reading the store for its own."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

from eventsourcing.persistence import Tracking
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from grants.application import Grants
from grants.bootstrap import bootstrap, rebuilding
from grants.eventstore import IdempotentRecorder, decode, event_class
from grants.projections.view import REBUILD, Event, Positioned, View, collector_paused
from grants.settings import Settings

# Events per batch. The views' statements and summary rows cost the server per batch:
# at a million events, batches of 15,000 took 28.3-29.5 s against 29.8-35.5 s for 10,000
# (alternating runs); 20,000 were no faster within the machine's noise, and their
# processes peaked at 240 MB against 196 MB.
BATCH = 15_000
Progress = Callable[[int, int], None]  # position reached, position aimed at
Batch = tuple[int, list[Event]]  # the position read to, and the events of the batch

# Each view's share of a rebuild, for sharing views among processes: its Python CPU
# seconds when rebuilt alone from bench/rebuild.py's million events, less the reading
# they share (a process's Python runs on one core at a time, while the database works
# for its views in processes of its own); the as-of view's is what made the processes'
# folding end together in a rebuild of all views (alone, its Python takes 9.4 s, but
# its seven tables load the database the most). A view not named here is taken for an
# average one.
_WEIGHTS = {
    "as_of": 16.0,
    "awards": 7.0,
    "projects": 3.8,
    "standards": 3.1,
    "payments": 2.7,
    "funding": 2.1,
    "agreements": 1.7,
    "performance": 1.0,
    "outcomes": 0.8,
    "commitments": 0.6,
}
_AVERAGE = 3.0


def batches(
    grants: Grants, after: int, upto: int | None, size: int = BATCH
) -> Iterator[Sequence[Positioned]]:
    """The store's events after a position (up to another, if given), decoded, in
    batches, each event with its position."""
    recorder: IdempotentRecorder = grants.recorder  # type: ignore[assignment]
    while True:
        stored = recorder.stored_after(after, size, upto)
        if not stored:
            return
        after = stored[-1][0]
        yield [(position, decode(topic, state)) for position, topic, state in stored]
        if upto is not None and after >= upto:
            return


def _read(grants: Grants, views: Sequence[View], upto: int, size: int) -> Iterator[Batch]:
    """The store's events up to a position, in batches, decoding only those of a
    class one of the views reads."""
    read: set[type] | None = set()
    for view in views:
        if view.reads is None or read is None:
            read = None
        else:
            read |= view.reads
    recorder: IdempotentRecorder = grants.recorder  # type: ignore[assignment]
    after = 0
    while after < upto and (stored := recorder.stored_after(after, size, upto)):
        after = stored[-1][0]
        yield (
            after,
            [
                decode(topic, state)
                for _, topic, state in stored
                if read is None or event_class(topic) in read
            ],
        )


def catch_up(grants: Grants, view: View, size: int = BATCH) -> int:
    """Brings a view up to the store's head in the live tables, a batch per transaction:
    for tests and tools; the worker's follower does the same as events arrive."""
    for events in batches(grants, view.position(), None, size):
        view.record(events)
    return view.position()


def rebuild(
    grants: Grants, views: Sequence[View], progress: Progress | None = None, size: int = BATCH
) -> int:
    """Rebuilds views from the first event, reading the store once for all of them;
    returns the position they reached."""
    indexes: dict[str, list[str]] = {}  # per view, those made once its tables are full
    for view in views:
        indexes[view.name] = _new_tables(view)
    head = grants.recorder.max_notification_id() or 0
    position = 0
    # The next batch is read while the views write this one, each view on a connection
    # of its own, so that the database's work and Python's overlap; no more at once than
    # the store's pool holds, or a view would wait for a connection beyond its timeout.
    source = _read(grants, views, head, size)
    connections = grants.recorder.datastore.pool.max_size  # type: ignore[attr-defined]
    workers = min(len(views) + 1, connections)
    with collector_paused(), ThreadPoolExecutor(max_workers=workers) as pool:
        reading = pool.submit(next, source, None)
        while (batch := reading.result()) is not None:
            position, events = batch
            reading = pool.submit(next, source, None)
            for written in [pool.submit(_fold, view, events, position) for view in views]:
                written.result()
            if progress:
                progress(position, head)
        for finished in [pool.submit(_finish, view, indexes[view.name]) for view in views]:
            finished.result()
    for view in views:
        _swap(grants, view, position, size)
    if progress:
        progress(head, head)
    return head


def rebuild_in_processes(
    url: str,
    settings: Settings,
    names: Sequence[str],
    progress: Progress | None = None,
    processes: int | None = None,
    size: int = BATCH,
) -> int:
    """Rebuilds the named views, shared among processes (one per core unless told);
    this one rebuilds the heaviest share and reports its progress. Returns the
    position its share reached."""
    parts = shares(names, processes or os.cpu_count() or 1)
    if len(parts) == 1:
        return _rebuild_part(url, settings, parts[0], progress, size)
    # Spawned, not forked: a fork would share this process's connections and threads.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(parts) - 1, mp_context=spawn) as others:
        rest: list[Future[int]] = [
            others.submit(_rebuild_part, url, settings, part, None, size) for part in parts[1:]
        ]
        head = _rebuild_part(url, settings, parts[0], progress, size)
        for part in rest:
            part.result()
    return head


def shares(names: Sequence[str], processes: int) -> list[list[str]]:
    """The views in at most ``processes`` shares of weights as even as they allow, the
    heaviest share first."""
    parts: list[list[str]] = [[] for _ in range(max(1, min(processes, len(names))))]
    weights = [0.0] * len(parts)
    for name in sorted(names, key=lambda name: -_WEIGHTS.get(name, _AVERAGE)):
        lightest = weights.index(min(weights))
        parts[lightest].append(name)
        weights[lightest] += _WEIGHTS.get(name, _AVERAGE)
    return [part for _, part in sorted(zip(weights, parts, strict=True), reverse=True)]


def _rebuild_part(
    url: str,
    settings: Settings,
    names: Sequence[str],
    progress: Progress | None = None,
    size: int = BATCH,
) -> int:
    services = bootstrap(url, rebuilding(settings), role="rebuild")
    try:
        views = services.views.by_name()
        return rebuild(services.grants, [views[name] for name in names], progress, size)
    finally:
        services.close()


def _new_tables(view: View) -> list[str]:
    """Makes the view's new tables, empty, like the live ones but with only the unique
    indexes its statements need (upserts, and reads of the rows written so far); returns
    the statements that make the others. An index made once over the full table costs
    the server less than one kept up to date row by row: a tenth less of its time in a
    rebuild of a million events."""
    later: list[str] = []
    with view.datastore.transaction(commit=True) as curs:
        for table in view.tables:
            new, live = Identifier(table + REBUILD), Identifier(table)
            curs.execute(SQL("DROP TABLE IF EXISTS {}").format(new))
            curs.execute(SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(new, live))
            for index in _indexes(curs, table + REBUILD):
                if index["unique"] and table not in view.only_appended:
                    continue
                if index["constraint"] is not None:  # a primary key: its index with it
                    constraint = Identifier(index["constraint"])
                    later.append(
                        SQL("ALTER TABLE {} ADD CONSTRAINT {} {}")
                        .format(new, constraint, SQL(index["defined"]))
                        .as_string(curs)
                    )
                    curs.execute(SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(new, constraint))
                else:
                    later.append(index["made"])
                    curs.execute(SQL("DROP INDEX {}").format(Identifier(index["name"])))
    return later


def _indexes(curs: Cursor[DictRow], table: str) -> list[DictRow]:
    """The table's indexes: each one's name, whether it is unique, the statement that
    makes it, and the constraint it is made for, if any, with the constraint's
    definition."""
    curs.execute(
        "SELECT c.relname AS name, i.indisunique AS unique, "
        "pg_get_indexdef(i.indexrelid) AS made, k.conname AS constraint, "
        "pg_get_constraintdef(k.oid) AS defined "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid "
        "WHERE i.indrelid = %s::regclass",
        (table,),
    )
    return curs.fetchall()


def _shape(made: str) -> str:
    """What an index indexes, and how: the statement that makes it, without the names
    of the index and its table."""
    return re.sub(r"INDEX \S+ ON \S+", "INDEX ON", made, count=1)


def _fold(view: View, events: Sequence[Event], position: int) -> None:
    with view.datastore.transaction(commit=True) as curs:
        # A crash loses the rebuild whatever the position says (the next starts from
        # the first event): no batch need wait for the disk.
        curs.execute("SET LOCAL synchronous_commit TO off")
        view.fold(curs, view.relevant(events), view.next)
        view._insert_tracking(curs, Tracking(f"{Grants.name}{REBUILD}", position))


def _finish(view: View, indexes: Sequence[str]) -> None:
    """Makes the new tables' other indexes, then clears the tables of the row versions
    the batches left behind (each batch updates the same summary rows), so that reads
    do not scan them, and gives the planner their figures. (Filled unlogged, then set
    logged, they were written twice: a rebuild of a million events took a tenth longer,
    now that rows only added go by COPY, which logs a page at a time.)"""
    with view.datastore.get_connection() as conn:  # in autocommit, as VACUUM needs
        for index in indexes:
            conn.execute(index)
        for table in view.tables:
            conn.execute(SQL("VACUUM (ANALYZE) {}").format(Identifier(table + REBUILD)))


def _swap(grants: Grants, view: View, position: int, size: int) -> None:
    """Puts the rebuilt tables in place of the live ones, with the events recorded
    since the rebuild began, while the projection's writes wait."""
    with view.datastore.transaction(commit=True) as curs:
        curs.execute("SELECT pg_advisory_xact_lock(%s)", (view.lock_key,))
        for batch in batches(grants, position, None, size):
            view.fold(curs, view.relevant([event for _, event in batch]), view.next)
            position = batch[-1][0]
        for table in view.tables:
            # The indexes keep the names the live ones had (the migrations' names, which
            # a later migration may refer to), not those made up for the new table.
            names = {_shape(index["made"]): index["name"] for index in _indexes(curs, table)}
            curs.execute(SQL("DROP TABLE {}").format(Identifier(table)))
            curs.execute(
                SQL("ALTER TABLE {} RENAME TO {}").format(
                    Identifier(table + REBUILD), Identifier(table)
                )
            )
            for index in _indexes(curs, table):
                name = names.get(_shape(index["made"]))
                if name is not None and name != index["name"]:
                    curs.execute(
                        SQL("ALTER INDEX {} RENAME TO {}").format(
                            Identifier(index["name"]), Identifier(name)
                        )
                    )
        tracking = Identifier(view.tracking_table_name)
        curs.execute(
            SQL(
                "INSERT INTO {} (application_name, notification_id) VALUES (%s, %s) "
                "ON CONFLICT (application_name) "
                "DO UPDATE SET notification_id = excluded.notification_id"
            ).format(tracking),
            (Grants.name, position),
        )
        curs.execute(
            SQL("DELETE FROM {} WHERE application_name = %s").format(tracking),
            (f"{Grants.name}{REBUILD}",),
        )
