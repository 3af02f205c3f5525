"""Projects' results stored before the results framework existed replay unchanged: the
framework counts them against the indicators with the same codes, so their shape needs
no upcaster."""

from __future__ import annotations

from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from grants.domain.project import Project
from grants.eventstore import MsgspecMapper


def test_a_results_report_stored_before_the_framework_reads_back_as_it_was() -> None:
    stored = StoredEvent(
        originator_id=uuid4(),
        originator_version=9,
        topic=get_topic(Project.ResultsReported),
        state=b'{"originator_id":"6a2f41a3-c54d-462f-b2d0-0e0c5ad7e4a1","originator_version":9,'
        b'"timestamp":"2021-03-31T12:00:00+00:00","actor":"olivia","effective_on":"2021-03-31",'
        b'"program_id":"0b7f6a52-0a3c-4f55-a0e8-5c3d9d3ad0a1","department":"PS",'
        b'"pillar":"prevention","fiscal_year":"2020-21",'
        b'"indicators":{"referrals":135,"victims_identified":76}}',
    )
    event = MsgspecMapper().to_domain_event(stored)
    assert isinstance(event, Project.ResultsReported)
    assert (event.fiscal_year, event.indicators) == (
        "2020-21",
        {"referrals": 135, "victims_identified": 76},
    )
