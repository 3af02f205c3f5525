"""Projects' results stored before the results framework existed replay unchanged: the
framework counts them against the indicators with the same codes, so their shape needs
no upcaster; and a project folds them whatever the framework holds, since only a new
report is checked against the indicators in use."""

from __future__ import annotations

import json
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from grants.application import in_memory
from grants.domain.project import Project
from grants.eventstore import MsgspecMapper
from tests.stories import under_agreement

# The indicators the tracker knew before the framework: the demo's framework has them.
BEFORE = (
    "awareness_reach",
    "partnerships",
    "people_trained",
    "referrals",
    "survivors_served",
    "tips_to_law_enforcement",
    "victims_identified",
)


def stored(originator_id: UUID, version: int, indicators: dict[str, int]) -> StoredEvent:
    state = {
        "originator_id": str(originator_id),
        "originator_version": version,
        "timestamp": "2021-03-31T12:00:00+00:00",
        "actor": "olivia",
        "effective_on": "2021-03-31",
        "program_id": "0b7f6a52-0a3c-4f55-a0e8-5c3d9d3ad0a1",
        "department": "PS",
        "pillar": "prevention",
        "fiscal_year": "2020-21",
        "indicators": indicators,
    }
    return StoredEvent(
        originator_id=originator_id,
        originator_version=version,
        topic=get_topic(Project.ResultsReported),
        state=json.dumps(state, separators=(",", ":")).encode(),
    )


def test_a_results_report_stored_before_the_framework_reads_back_as_it_was() -> None:
    event = MsgspecMapper().to_domain_event(
        stored(uuid4(), 9, {"referrals": 135, "victims_identified": 76})
    )
    assert isinstance(event, Project.ResultsReported)
    assert (event.fiscal_year, event.indicators) == (
        "2020-21",
        {"referrals": 135, "victims_identified": 76},
    )


def test_a_report_of_the_indicators_of_before_folds_into_a_project_with_no_framework() -> None:
    assert in_memory().framework().in_use == ()  # nothing defined: no new report is taken
    project = under_agreement()
    figures = {code: n for n, code in enumerate(BEFORE)}
    event = MsgspecMapper().to_domain_event(stored(project.id, project.version + 1, figures))
    assert isinstance(event, Project.ResultsReported)
    event.mutate(project)
    assert project.results == {"2020-21": figures}
