"""The views read the store in batches by position, walking its index whatever the
planner knows of the store: a store just filled or restored has no statistics until
it is analyzed, and a read planned for a few hundred rows sorted, for every batch,
all the events after it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import make_conninfo
from psycopg.sql import SQL

from grants.bootstrap import bootstrap
from grants.eventstore import IdempotentRecorder

EVENTS = 20_000


@pytest.fixture
def never_analyzed(server_url: str) -> Iterator[str]:
    """A new store of many events, which the planner has no figures for."""
    name = f"grants_unanalyzed_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_conninfo(server_url, dbname=name)
    try:
        yield url
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def test_a_batch_walks_the_index_of_a_store_never_analyzed(never_analyzed: str) -> None:
    services = bootstrap(never_analyzed)
    try:
        recorder: IdempotentRecorder = services.grants.recorder  # type: ignore[assignment]
        table = recorder.events_table_name
        with psycopg.connect(never_analyzed, autocommit=True) as conn:
            conn.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = off)")
            conn.execute(
                f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                "SELECT gen_random_uuid(), 1, 'grants.domain.project:Project.Topic', "
                "convert_to(repeat('x', 400), 'UTF8') FROM generate_series(1, %s)",
                (EVENTS,),
            )
            analyzed = conn.execute(
                "SELECT last_analyze, last_autoanalyze FROM pg_stat_user_tables WHERE relname = %s",
                (table,),
            ).fetchone()
            assert analyzed == (None, None)
            for after, upto in [(0, None), (EVENTS // 2, None), (EVENTS // 2, EVENTS - 10)]:
                with conn.cursor() as curs:
                    statement, params = recorder.reading(after, 1_000, upto)
                    curs.execute(SQL("EXPLAIN (FORMAT JSON) ") + statement, params)
                    found = curs.fetchone()
                    assert found is not None
                    nodes = [node["Node Type"] for node in _nodes(found[0][0]["Plan"])]
                assert "Sort" not in nodes, nodes
                assert "Index Scan" in nodes, nodes
        rows = recorder.stored_after(EVENTS // 2, 1_000, EVENTS // 2 + 10)
        assert [position for position, _, _ in rows] == list(
            range(EVENTS // 2 + 1, EVENTS // 2 + 11)
        )
    finally:
        services.close()
