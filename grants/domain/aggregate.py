"""The base of every aggregate here: each event names who caused it and when it took
effect, besides the time it was recorded (``timestamp``), a day the tracker can place in
a fiscal year."""

from __future__ import annotations

from datetime import date
from typing import Any, Self

from eventsourcing import domain

from grants.domain.values import day


class Aggregate(domain.Aggregate):
    """State is kept as immutable values, and dicts of them whose entries are replaced,
    never changed in place. So a copy needs to copy the dicts and nothing below them;
    the application copies an aggregate out of its cache for every command, and a
    generic deep copy of a project with many payments cost more than the command."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        copy = object.__new__(type(self))
        copy.__dict__.update(
            (name, type(value)(value) if isinstance(value, dict | list) else value)
            for name, value in self.__dict__.items()
        )
        return copy

    @classmethod
    def _create(cls, event_class: type[Any], *, id: Any = None, **kwargs: Any) -> Self:
        day(kwargs["effective_on"], field="effective_on")
        return super()._create(event_class, id=id, **kwargs)

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        day(kwargs["effective_on"], field="effective_on")
        super().trigger_event(event_class, **kwargs)

    class Event(domain.Aggregate.Event):
        actor: str
        effective_on: date

    class Created(Event, domain.Aggregate.Created):
        pass
