"""Calls for proposals."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from grants.access import PROGRAM_SIDE
from grants.api.commands import Answer
from grants.application import Context, Grants
from grants.commands import CloseCall, OpenCall
from grants.domain.call import Call
from grants.domain.reference import Pillar


class CallOut(msgspec.Struct):
    id: UUID
    version: int
    program_id: UUID
    title_en: str
    title_fr: str
    pillar: Pillar
    opens_on: date
    closes_on: date
    budget_cents: int
    closed_on: date | None

    @classmethod
    def of(cls, call: Call) -> CallOut:
        return cls(
            id=call.id,
            version=call.version,
            program_id=call.program_id,
            title_en=call.title_en,
            title_fr=call.title_fr,
            pillar=call.pillar,
            opens_on=call.opens_on,
            closes_on=call.closes_on,
            budget_cents=call.budget_cents,
            closed_on=call.closed_on,
        )


class Calls(Controller):
    path = "/api/calls"
    tags = ["calls"]

    @post(guards=[PROGRAM_SIDE], sync_to_thread=True)
    def open_call(
        self,
        data: JSONBody[OpenCall],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data))

    @post("/{call_id:uuid}/close", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=200)
    def close_call(
        self,
        call_id: FromPath[UUID],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
        data: JSONBody[CloseCall | None] = None,
    ) -> Answer:
        return Answer.of(grants.handle(context, data or CloseCall(), call_id))

    @get(sync_to_thread=True)
    def list_calls(
        self, grants: NamedDependency[Grants], program_id: FromQuery[UUID | None] = None
    ) -> list[CallOut]:
        return [
            CallOut.of(call)
            for call in grants.calls()
            if program_id is None or call.program_id == program_id
        ]
