"""Events are stored as JSON and stay readable after their class changes (upcasting)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from grants.domain.aggregate import Aggregate
from grants.eventstore import MsgspecMapper
from tests.stories import Y1, under_agreement


class Grantee(Aggregate):
    def __init__(self) -> None:
        pass

    class Renamed(Aggregate.Event):
        """Version 2 split ``name`` into English and French names."""

        class_version = 2
        name_en: str
        name_fr: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["name_en"] = state["name_fr"] = state.pop("name")


def test_every_event_of_a_life_reads_back_as_it_was_written() -> None:
    project = under_agreement()
    project.request_payment(Y1, 1_000, None, actor="olivia", effective_on=date(2021, 9, 1))
    mapper = MsgspecMapper()
    for event in project.collect_events():
        assert mapper.to_domain_event(mapper.to_stored_event(event)) == event


def test_an_event_stored_by_an_older_version_is_upcast() -> None:
    stored_v1 = StoredEvent(
        originator_id=uuid4(),
        originator_version=2,
        topic=get_topic(Grantee.Renamed),
        state=b'{"originator_id":"6a2f41a3-c54d-462f-b2d0-0e0c5ad7e4a1","originator_version":2,'
        b'"timestamp":"2021-05-01T12:00:00+00:00","actor":"olivia",'
        b'"effective_on":"2021-05-01","name":"NOW Canada"}',
    )
    event = MsgspecMapper().to_domain_event(stored_v1)
    assert isinstance(event, Grantee.Renamed)
    assert (event.name_en, event.name_fr) == ("NOW Canada", "NOW Canada")


def test_a_current_event_records_its_version() -> None:
    mapper = MsgspecMapper()
    event = Grantee.Renamed(  # type: ignore[call-arg]
        originator_id=uuid4(),
        originator_version=2,
        timestamp=Grantee.Renamed.create_timestamp(),
        actor="olivia",
        effective_on=date(2021, 5, 1),
        name_en="A",
        name_fr="B",
    )
    stored = mapper.to_stored_event(event)
    assert stored.state.startswith(b'{"class_version":2,')
    assert mapper.to_domain_event(stored) == event
