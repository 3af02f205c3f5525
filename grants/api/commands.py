"""What every command endpoint shares: who sends it, the version they saw
(``If-Match``), their ``Idempotency-Key``, and the answer they get."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from uuid import UUID

import msgspec
from litestar import Request
from litestar.datastructures import State

from grants.application import Context
from grants.domain.errors import InvalidValue
from grants.idempotency import Claim, Receipt
from grants.users import User

_VERSION = re.compile(r'(?:W/)?"?(\d+)"?')


class Answer(msgspec.Struct, omit_defaults=True):
    """A command's answer: the id of what it made or changed, the version it is now at,
    and the event store position to pass as ``min_position`` to read views that
    include it."""

    id: UUID
    version: int
    position: int
    project_id: UUID | None = None

    @classmethod
    def of(cls, receipt: Receipt) -> Answer:
        return cls(
            id=receipt.id,
            version=receipt.version,
            position=receipt.position,
            project_id=receipt.project_id,
        )


class DatedIn(msgspec.Struct, forbid_unknown_fields=True):
    """The body of a command that needs nothing but, optionally, its date."""

    effective_on: date | None = None


async def provide_context(request: Request[User, str, State]) -> Context:
    """The command's context. The idempotency fingerprint covers the method, the path
    and the body, so that one key reused for another request is refused."""
    user = request.user
    expected_version = None
    if if_match := request.headers.get("if-match"):
        match = _VERSION.fullmatch(if_match.strip())
        if match is None:
            raise InvalidValue('If-Match takes the version you saw, such as "3"', field="If-Match")
        expected_version = int(match[1])
    claim = None
    if key := request.headers.get("idempotency-key"):
        if len(key) > 255:
            raise InvalidValue(
                "an Idempotency-Key is at most 255 characters", field="Idempotency-Key"
            )
        digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode())
        digest.update(await request.body())
        claim = Claim(user=user.name, key=key, fingerprint=digest.hexdigest())
    return Context(actor=user.name, expected_version=expected_version, claim=claim)


def today() -> date:
    return date.today()
