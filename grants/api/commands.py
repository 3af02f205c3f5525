"""What every command endpoint shares: who sends it, the version they saw
(``If-Match``), their ``Idempotency-Key``, and the answer they get."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, ValidationException

from grants.application import Context, Grants
from grants.domain.errors import InvalidValue, rule
from grants.fields import decode_fiscal_year
from grants.idempotency import Claim, Receipt
from grants.users import User

_VERSION = re.compile(r'(?:W/)?"?([0-9]{1,9})"?')
# Visible ASCII and spaces: what clients make keys of (UUIDs, mostly).
_KEY = re.compile(r"[\x20-\x7e]{1,255}")


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


async def provide_context(
    request: Request[User, str, State], grants: NamedDependency[Grants]
) -> Context:
    """The command's context. The idempotency fingerprint covers the method, the path
    and the body, so that one key reused for another request is refused.

    It names ``grants``, which it does not use, so that Litestar resolves the two
    dependencies every command takes one after the other: side by side, it ran them in
    a task group of their own for each request, which took a tenth of the server's CPU
    per command (bench/write_path.py, one server process: 0.76-0.92 ms against
    0.91-1.10 ms)."""
    user = request.user
    expected_version = None
    if if_match := request.headers.get("if-match"):
        match = _VERSION.fullmatch(if_match.strip())
        if match is None:
            raise InvalidValue(
                rule('If-Match takes the version you saw, such as "3"'), field="If-Match"
            )
        expected_version = int(match[1])
    claim = None
    if key := request.headers.get("idempotency-key"):
        if not _KEY.fullmatch(key):
            raise InvalidValue(
                rule("an Idempotency-Key is 1 to 255 visible ASCII characters, such as a UUID"),
                field="Idempotency-Key",
            )
        digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode())
        digest.update(await request.body())
        claim = Claim(user=user.name, key=key, fingerprint=digest.hexdigest())
    return Context(actor=user.name, expected_version=expected_version, claim=claim)


class JsonRequest(Request[Any, Any, Any]):
    """Decodes a command's JSON body straight into its type, strictly: Litestar would
    take ``"100"``, ``100.0`` and ``1e2`` for the integer 100, and an amount typed as
    text or with decimals is a mistake to refuse, not to guess. A body nested deeper
    than the decoder goes is malformed, not an error of the server's."""

    async def json(self) -> Any:
        data = self.route_handler.parsed_data_field
        if data is None or self.content_type[0] != "application/json":
            return await self._lenient_json()
        try:
            return msgspec.json.decode(
                await self.body(), type=data.annotation, strict=True, dec_hook=decode_fiscal_year
            )
        except msgspec.ValidationError as error:
            raise _invalid(str(error)) from None
        except msgspec.DecodeError as error:
            raise ClientException(f"the body is not JSON: {error}") from None
        except RecursionError:
            raise ClientException("the JSON is nested too deeply to read") from None

    async def _lenient_json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise ClientException("the JSON is nested too deeply to read") from None


_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_NAMED = re.compile(r"field `([^`]+)`")


def _invalid(message: str) -> ValidationException:
    """msgspec's message as Litestar's validation error, naming the field as the
    domain does: ``cash_flow[0].amount_cents``."""
    found = _AT.match(message)
    assert found is not None
    # A map's value is at `[...]`: msgspec does not say which key.
    path = (found["path"] or "").replace("[...]", "").lstrip(".")
    if named := _NAMED.search(found["message"]):  # a missing or unknown field
        path = f"{path}.{named[1]}" if path else named[1]
    return ValidationException(
        detail="Validation failed",
        extra=[{"key": path or None, "message": found["message"], "source": "body"}],
    )
