"""Keeps the views up to date. Each worker process runs one follower. It leads the views
whose advisory lock it holds (several workers share them; when a worker goes away its
session ends, its locks with it, and another takes its views over), reads the store once
for all of them, decodes each event once, and has each view fold, a batch per
transaction, the events it has not read yet. One connection holds the locks and listens
for new events; the rest goes through the process's pool.

A view that cannot fold an event stops before it, loudly: the event's position, type
and the error are kept in ``view_failures`` (``/health`` turns 503 and names them) and
logged; the view is tried again every ``RETRY_SECONDS``, and the others go on."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier

from grants.application import Grants
from grants.database import UNAVAILABLE
from grants.eventstore import IdempotentRecorder, decode
from grants.projections import status
from grants.projections.view import Positioned, View, collector_paused

logger = logging.getLogger(__name__)

BATCH = 1_000
# How long the follower waits for a notification of new events before looking anyway.
IDLE_SECONDS = 1.0
RETRY_SECONDS = 30.0
RECONNECT_SECONDS = 1.0


class Follower:
    def __init__(
        self, grants: Grants, views: Sequence[View], database_url: str, stop: threading.Event
    ) -> None:
        self.grants = grants
        self.views = list(views)
        self.database_url = database_url
        self.stop = stop
        self.led: dict[str, View] = {}
        # Views that failed on an event: when to try again, and that their failure is
        # on record until they read past it.
        self._retry_at: dict[str, float] = {}
        self._failing: set[str] = set()
        self._positions = status.positions_query(
            self.views,
            grants.recorder.events_table_name,  # type: ignore[attr-defined]
        )
        self._datastore: Any = grants.recorder.datastore  # type: ignore[attr-defined]
        self._recorder: IdempotentRecorder = grants.recorder  # type: ignore[assignment]

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="views-follower", daemon=True)
        thread.start()
        return thread

    def run(self) -> None:
        """Follows the store until ``stop`` is set, starting again after any trouble."""
        while not self.stop.is_set():
            try:
                with psycopg.connect(self.database_url, autocommit=True) as session:
                    channel = self.grants.recorder.channel_name  # type: ignore[attr-defined]
                    session.execute(SQL("LISTEN {}").format(Identifier(channel)))
                    self._follow(session)
            except Exception:
                logger.exception("the views' follower lost its way; starting again")
            finally:
                self.led.clear()  # the session, and its locks, are gone
            self.stop.wait(RECONNECT_SECONDS)

    def _follow(self, session: psycopg.Connection[Any]) -> None:
        while not self.stop.is_set():
            self._lead(session)
            with collector_paused():
                folded = self._catch_up()
            if not folded:
                # Nothing new: wait for the store's notification (one that came while
                # the session ran a query waits in its backlog), or look again anyway.
                for _ in session.notifies(timeout=IDLE_SECONDS, stop_after=1):
                    pass

    def _lead(self, session: psycopg.Connection[Any]) -> None:
        taken = False
        for view in self.views:
            if view.name in self.led:
                continue
            row = session.execute(
                "SELECT pg_try_advisory_lock(%s)", (status.leader_key(view.name),)
            ).fetchone()
            if row and row[0]:
                logger.info("view %s: leading", view.name)
                self.led[view.name] = view
                taken = True
        if taken:
            with self._datastore.get_connection() as conn:
                self._failing = set(status.failures(conn)) & set(self.led)

    def _catch_up(self) -> bool:
        """Folds the next batch into every view led that is behind; whether it did."""
        now = time.monotonic()
        due = [v for v in self.led.values() if self._retry_at.get(v.name, 0) <= now]
        if not due:
            return False
        with self._datastore.get_connection() as conn:
            positions = status.read_positions(conn, self._positions)
        behind = [view for view in due if positions[view.name] < positions[status.STORE]]
        if not behind:
            return False
        start = min(positions[view.name] for view in behind)
        events: list[Positioned] = []
        unreadable: tuple[int, str, Exception] | None = None
        for position, topic, state in self._recorder.stored_after(start, BATCH):
            try:
                events.append((position, decode(topic, state)))
            except Exception as error:
                unreadable = (position, topic, error)
                break
        for view in behind:
            new = [(at, event) for at, event in events if at > positions[view.name]]
            if new and not self._fold(view, new):
                continue
            if unreadable:
                self._failed(view, *unreadable)
        return bool(events)

    def _fold(self, view: View, events: Sequence[Positioned]) -> bool:
        """Folds the events into the view; whether all of them went in."""
        try:
            view.record(events)
        except UNAVAILABLE:
            raise  # the database, not the event: the whole follower starts again
        except Exception:
            # Which event? Each on its own, up to the one that fails.
            for at, event in events:
                try:
                    view.record([(at, event)])
                except UNAVAILABLE:
                    raise
                except Exception as error:
                    self._failed(view, at, type(event).__qualname__, error)
                    return False
        self._retry_at.pop(view.name, None)
        if view.name in self._failing:
            with self._datastore.get_connection() as conn:
                status.clear_failure(conn, view.name)
            self._failing.discard(view.name)
            logger.warning("view %s: reading again past the event that stopped it", view.name)
        return True

    def _failed(self, view: View, position: int, event_type: str, error: Exception) -> None:
        self._retry_at[view.name] = time.monotonic() + RETRY_SECONDS
        self._failing.add(view.name)
        reason = f"{type(error).__name__}: {error}"
        logger.error(
            "view %s: stopped before event %d (%s), tried again in %d s: %s",
            view.name,
            position,
            event_type,
            RETRY_SECONDS,
            reason,
        )
        with self._datastore.get_connection() as conn:
            status.record_failure(conn, view.name, position, event_type, reason)


def follow(
    grants: Grants, views: Sequence[View], database_url: str, stop: threading.Event
) -> threading.Thread:
    """Starts a follower in a thread of its own."""
    return Follower(grants, views, database_url, stop).start()
