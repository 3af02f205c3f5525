"""The base of every aggregate here: each event names who caused it and when it took
effect, besides the time it was recorded (``timestamp``)."""

from __future__ import annotations

from datetime import date

from eventsourcing import domain


class Aggregate(domain.Aggregate):
    class Event(domain.Aggregate.Event):
        actor: str
        effective_on: date

    class Created(Event, domain.Aggregate.Created):
        pass
