"""The base of every aggregate here: each event names who caused it and when it took
effect, besides the time it was recorded (``timestamp``)."""

from __future__ import annotations

from datetime import date
from typing import Any, Self

from eventsourcing import domain


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

    class Event(domain.Aggregate.Event):
        actor: str
        effective_on: date

    class Created(Event, domain.Aggregate.Created):
        pass
