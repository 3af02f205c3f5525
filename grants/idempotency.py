"""Idempotent commands: a retry with the same ``Idempotency-Key`` gets the first answer.

The answer is written by the event recorder in the same transaction as the command's
events (see ``grants.eventstore``), so either both are stored or neither is: a retry
can never record a second payment, and a crash between the two cannot happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from grants.domain.errors import InvalidValue, rule


@dataclass(frozen=True)
class Claim:
    """A client's key for one command, scoped to the user who sent it, with a
    fingerprint of the request so that reusing a key for another request is caught."""

    user: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class Receipt:
    """A command's answer: the aggregate (or payment request) id, the version the
    command left it at, and the event store position of its last event."""

    id: UUID
    version: int
    position: int
    project_id: UUID | None = None


class IdempotencyKeyReused(InvalidValue):
    code = "idempotency_key_reused"


def insert_params(claim: Claim, receipt: Receipt) -> tuple[Any, ...]:
    """The columns of the answer's row, less its position (known once stored)."""
    return (
        claim.user,
        claim.key,
        claim.fingerprint,
        receipt.id,
        receipt.version,
        receipt.project_id,
    )


def answer(claim: Claim, row: dict[str, Any] | None) -> Receipt | None:
    """The first answer to this claim's key, if there was one."""
    if row is None:
        return None
    if row["fingerprint"] != claim.fingerprint:
        raise IdempotencyKeyReused(
            rule("this Idempotency-Key was already used for a different request"),
            field="Idempotency-Key",
        )
    return Receipt(
        id=row["receipt_id"],
        version=row["version"],
        position=row["position"],
        project_id=row["project_id"],
    )
