"""Time as the ledger keeps it: every fact took effect on a day (``effective_on``) and
was recorded at a moment (its ``timestamp``). A question may keep only the facts
effective by a day (as of), or recorded by a moment (as known at), or both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast
from uuid import UUID

from grants.application import Grants, NotFound
from grants.domain.project import Project


@dataclass(frozen=True)
class Moment:
    """Which facts a question keeps: those effective on or before ``as_of`` and
    recorded up to ``known_at`` (either or both; neither keeps every fact)."""

    as_of: date | None = None
    known_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.known_at is not None and self.known_at.tzinfo is None:
            # A moment without a zone is read as UTC, the zone events are recorded in.
            object.__setattr__(self, "known_at", self.known_at.replace(tzinfo=UTC))

    def __bool__(self) -> bool:
        return self.as_of is not None or self.known_at is not None

    def day(self, today: date) -> date:
        """The day the question judges dates against (a target's, a deadline's): the day
        asked, or else the day of the moment known at (today at the latest), or else
        today."""
        if self.as_of is not None:
            return self.as_of
        return today if self.known_at is None else min(self.known_at.date(), today)

    def keeps(self, event: Any) -> bool:
        """Whether the question keeps the event (for folds of a few events)."""
        return (self.as_of is None or event.effective_on <= self.as_of) and (
            self.known_at is None or event.timestamp <= self.known_at
        )


NOW = Moment()


def project_at(grants: Grants, project_id: UUID, moment: Moment) -> Project:
    """A project folded from its own events the moment keeps (its version that of the
    last one); not found when it had not been received by then."""
    kept = [event for event in grants.history(project_id) if moment.keeps(event)]
    if not kept or not isinstance(kept[0], Project.ApplicationReceived):
        raise NotFound("project", project_id)
    # The creation event makes the aggregate (``mutate`` is typed for every event).
    project = cast(Project, kept[0].mutate(None))
    # Applied one by one rather than through ``mutate``, which wants every version in
    # turn: a fact recorded late and dated after the day asked leaves a gap.
    for event in kept[1:]:
        event.apply(project)
        project.version = event.originator_version
        project.modified_on = event.timestamp
    return project
