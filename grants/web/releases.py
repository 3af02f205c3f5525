"""Releasing payments, one or many: finance gives each request chosen on the queue the
financial system's reference and the day it was paid, reads each release back as a
sentence to check, confirms, and is told what was released and what was refused and
why. Each release is its own command with its own idempotency key, so that a retry or
a second click of the confirmation pays nothing twice; every rule (segregation of
duties, a closed year, a request already paid) is the domain's."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Template

from grants.access import FINANCE
from grants.application import Context, Grants, NotFound
from grants.commands import ReleasePayment
from grants.domain import values
from grants.domain.errors import DomainError, InvalidValue
from grants.idempotency import Claim, Receipt
from grants.users import User
from grants.web.forms import Form, FormPage
from grants.web.i18n import Translator
from grants.web.layout import page, translator

# At most this many releases are confirmed at once: a page of the queue, and some.
MOST = 100
# The key the confirmation page is served with: each release's idempotency key is made
# from it, so that sending the same page twice sends the same keys.
_FORM_KEY = re.compile(r"[0-9a-f]{32}")
_CHOSEN = re.compile(r"request\.([0-9a-f-]{36})")


@dataclass(frozen=True)
class Release:
    """A request to release, as finance typed its reference and day of payment."""

    project_id: UUID
    request_id: UUID
    recipient: str
    program: str
    fiscal_year: str
    kind: str
    amount_cents: int
    certified_by: str
    payment_ref: str
    paid_on: str

    @property
    def ref_field(self) -> str:
        return f"payment_ref.{self.request_id}"

    @property
    def day_field(self) -> str:
        return f"paid_on.{self.request_id}"

    def sentence(self, t: Translator, key: str) -> str:
        """The release in the words finance checks it by: "Release $40,000.00 to ...?"."""
        return t(
            key,
            amount=t.money(self.amount_cents),
            recipient=self.recipient,
            fiscal_year=self.fiscal_year,
            payment_ref=self.payment_ref,
            paid_on=self.paid_on,
        )

    def command(self) -> ReleasePayment:
        return ReleasePayment(
            payment_request_id=self.request_id,
            payment_ref=self.payment_ref,
            paid_on=date.fromisoformat(self.paid_on),
        )

    def claim(self, user: User, form_key: str) -> Claim:
        """This release's idempotency claim: one key per request of the page."""
        sent = [str(self.project_id), str(self.request_id), self.payment_ref, self.paid_on]
        return Claim(
            user=user.name,
            key=f"web:{form_key}:{self.request_id}",
            fingerprint=hashlib.sha256(json.dumps(sent).encode()).hexdigest(),
        )


@dataclass(frozen=True)
class Outcome:
    """A release sent: its receipt, or why the domain refused it."""

    release: Release
    receipt: Receipt | None
    refusal: str = ""


def chosen(data: Mapping[str, str]) -> list[tuple[UUID, UUID]]:
    """The (project, request) pairs a form names: ``request.<request id>`` = project id."""
    pairs = []
    for name, value in data.items():
        if match := _CHOSEN.fullmatch(name):
            try:
                pairs.append((UUID(value), UUID(match[1])))
            except ValueError:
                raise ValidationException(f"{name} is not a project's id") from None
    if len(pairs) > MOST:
        raise ValidationException(f"at most {MOST} payments are released at once")
    return pairs


def releases(
    t: Translator, grants: Grants, pairs: list[tuple[UUID, UUID]], typed: Mapping[str, str]
) -> list[Release]:
    """The requests as the projects hold them (what will be released is what is shown),
    with what was typed for each."""
    found = []
    names = {p.id: t.name(p) for p in grants.programs()}
    for project_id, request_id in pairs:
        try:
            project = grants.project(project_id)
        except NotFound:
            raise NotFoundException("no such project") from None
        payment = project.payment_requests.get(request_id)
        if payment is None:
            raise NotFoundException("no such payment request")
        found.append(
            Release(
                project_id=project_id,
                request_id=request_id,
                recipient=project.recipient.legal_name,
                program=names.get(project.program_id, ""),
                fiscal_year=str(payment.fiscal_year),
                kind=payment.kind.value,
                amount_cents=payment.amount_cents,
                certified_by=payment.certified_by,
                payment_ref=typed.get(f"payment_ref.{request_id}", "").strip(),
                paid_on=typed.get(f"paid_on.{request_id}", date.today().isoformat()).strip(),
            )
        )
    return found


def checked(t: Translator, data: Mapping[str, str], found: list[Release]) -> dict[str, str]:
    """A refusal by each reference or day that cannot be sent (required, a day, text
    the domain keeps), by its field, before anything is confirmed."""
    form = Form(data, t, FormPage(title="", action="", submit="", sections=[]))
    if not found:
        form.refuse("", t("release.none_chosen"))
    for release in found:
        _value(form, release.ref_field, form.text(release.ref_field), values.text)
        _value(form, release.day_field, form.day(release.day_field), values.day)
    return form.page.errors


def _value(form: Form, name: str, typed: Any, check: Callable[..., Any]) -> None:
    if typed:
        try:
            check(typed, field=name)
        except InvalidValue as error:
            form.refuse(name, form.t.refusal(error))


def _references(
    request: Request[User, Any, Any], found: list[Release], errors: dict[str, str]
) -> Template:
    """Each request with its reference and day to type, and the refusals by them."""
    return page(
        request,
        "release_references.html",
        status_code=422 if errors else 200,
        releases=found,
        errors=errors,
    )


def _release(grants: Grants, t: Translator, ctx: Context, release: Release) -> Outcome:
    try:
        return Outcome(release, grants.handle(ctx, release.command(), release.project_id))
    except DomainError as error:
        return Outcome(release, None, t.refusal(error))
    except NotFound:
        return Outcome(release, None, t("error.unknown_reference"))


@get("/payments/{project_id:uuid}/{request_id:uuid}", guards=[FINANCE], sync_to_thread=True)
def release_page(
    request: Request[User, Any, Any],
    project_id: FromPath[UUID],
    request_id: FromPath[UUID],
    grants: NamedDependency[Grants],
) -> Template:
    """One request's release: the same references, confirmation and summary as many."""
    found = releases(translator(request), grants, [(project_id, request_id)], {})
    return _references(request, found, {})


@post("/payments/release", guards=[FINANCE], sync_to_thread=True, status_code=200)
def references_page(
    request: Request[User, Any, Any],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template:
    """The requests ticked on the queue (or the confirmation sent back to change),
    each with its reference and day to type."""
    t = translator(request)
    found = releases(t, grants, chosen(data), data)
    return _references(request, found, {"": t("release.none_chosen")} if not found else {})


@post("/payments/release/review", guards=[FINANCE], sync_to_thread=True, status_code=200)
def review(
    request: Request[User, Any, Any],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template:
    """Each release as a sentence to check before it is sent."""
    t = translator(request)
    found = releases(t, grants, chosen(data), data)
    if errors := checked(t, data, found):
        return _references(request, found, errors)
    return page(request, "release_confirm.html", releases=found, form_key=uuid4().hex)


@post("/payments/release/confirm", guards=[FINANCE], sync_to_thread=True, status_code=200)
def confirm(
    request: Request[User, Any, Any],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template:
    """Sends each release; what was released and what was refused, and why. The same
    page sent again sends the same keys: what was released is answered as released."""
    t = translator(request)
    form_key = data.get("form_key", "")
    if not _FORM_KEY.fullmatch(form_key):
        raise ValidationException("the confirmation's key is missing")
    found = releases(t, grants, chosen(data), data)
    if errors := checked(t, data, found):
        return _references(request, found, errors)
    user = request.user
    outcomes = [
        _release(grants, t, Context(actor=user.name, claim=r.claim(user, form_key)), r)
        for r in found
    ]
    released = [o for o in outcomes if o.receipt is not None]
    return page(
        request,
        "release_summary.html",
        status_code=200 if released else 422,
        released=released,
        refused=[o for o in outcomes if o.receipt is None],
        position=max((o.receipt.position for o in released if o.receipt), default=None),
    )


RELEASE_PAGES = [release_page, references_page, review, confirm]
