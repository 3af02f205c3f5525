"""A rebuild shared among processes gives the views a rebuild in one process gives."""

from __future__ import annotations

import psycopg

from grants.bootstrap import Services
from grants.projections import VIEWS
from grants.projections.rebuild import rebuild_in_processes, shares
from grants.settings import Settings
from tests.history import YEARS, play
from tests.store.test_views import views_agree_with_the_events


def test_views_are_shared_among_processes_by_weight_heaviest_share_first() -> None:
    two = shares(list(VIEWS), 2)
    assert sorted(name for part in two for name in part) == sorted(VIEWS)
    assert not {"as_of", "awards"} <= set(two[0])  # the two heaviest apart
    assert len(shares(list(VIEWS), 1)) == 1
    assert shares(["funding"], 4) == [["funding"]]


def test_a_rebuild_in_two_processes_gives_every_view_its_rows(services: Services) -> None:
    played = play(
        services.grants,
        [
            ("allocate", 0, YEARS[0], 100_000),
            ("apply", 0, 90_000, None),
            ("apply", 1, 40_000, 35_000),
            ("approve", 0, 50_000, 20_000),
            ("approve", 1, 30_000, 0),
            ("sign", 0),
            ("sign", 1),
            ("amend", 0, 40_000, 20_000),
            ("pay", 0, YEARS[0], 25_000),
            ("recover", 0, YEARS[0], 5_000),
            ("results", 0, YEARS[0], {"referrals": 12}),
            ("close", 1),
        ],
    )
    head = services.grants.recorder.max_notification_id()
    settings = Settings.from_env()
    named = _index_names(services)
    keys = _constraints(services)
    assert rebuild_in_processes(services.database_url, settings, list(VIEWS), None, 2, 3) == head
    for view in services.views.by_name().values():
        assert view.position() == head
    views_agree_with_the_events(services, played)
    # Each index keeps its name, whatever a rebuild made up on the way.
    assert _index_names(services) == named
    assert not [name for _, name in named if "rebuild" in name]
    # And each key, those of tables filled before they were keyed among them.
    assert _constraints(services) == keys
    assert (
        "agreement_history",
        "agreement_history_pkey",
        "PRIMARY KEY (project_id, version)",
    ) in keys


def _index_names(services: Services) -> list[tuple[str, str]]:
    tables = [table for view in services.views.by_name().values() for table in view.tables]
    with psycopg.connect(services.database_url) as conn:
        return sorted(
            conn.execute(
                "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s)",
                (tables,),
            ).fetchall()
        )


def _constraints(services: Services) -> list[tuple[str, str, str]]:
    tables = [table for view in services.views.by_name().values() for table in view.tables]
    with psycopg.connect(services.database_url) as conn:
        return sorted(
            conn.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)",
                (tables,),
            ).fetchall()
        )
