"""Forms that send commands: what a person typed, read into the domain's values; a
refusal, by the form or by the domain, shown next to the field it names, with what was
typed kept; nothing stored. Money is typed in dollars, so an input is named after the
domain's field without ``_cents`` (``requested`` for ``requested_cents``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal, TypeVar
from uuid import UUID, uuid4

from grants import money
from grants.application import Context, NotFound
from grants.commands import CashFlowLine
from grants.domain.errors import DomainError
from grants.domain.fiscal_year import FiscalYear
from grants.idempotency import Claim, Receipt
from grants.users import User
from grants.web.i18n import Translator

E = TypeVar("E", bound=StrEnum)

Kind = Literal["text", "textarea", "date", "money", "number", "select", "checkboxes", "file"]

# Fields a form carries for the page, not for the command.
_BOOKKEEPING = {"csrf_token", "form_key", "version"}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind = "text"
    options: Sequence[tuple[str, str]] = ()
    required: bool = True
    hint: str | None = None


@dataclass(frozen=True)
class Section:
    """Fields shown together; ``name`` is the domain field a refusal of the whole group
    names (``cash_flow``)."""

    fields: Sequence[Field]
    legend: str | None = None
    hint: str | None = None
    name: str | None = None
    # The label of a running total of the section's amounts, shown as they are typed.
    total: str | None = None


@dataclass
class FormPage:
    """A form as a page shows it: its sections, what was typed, and the refusals."""

    title: str
    action: str
    submit: str
    sections: Sequence[Section]
    cancel: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    form_key: str = field(default_factory=lambda: uuid4().hex)
    version: int | None = None
    intro: str | None = None
    # The figures a person decides with, shown above the form (what was requested,
    # what is left of an allocation...).
    facts: Sequence[str] = ()

    def known(self, name: str) -> bool:
        return any(
            name in (section.name, f.name) for section in self.sections for f in section.fields
        )

    @property
    def multipart(self) -> bool:
        """A form that sends a file is sent as ``multipart/form-data``."""
        return any(f.kind == "file" for section in self.sections for f in section.fields)


class Refused(Exception):
    """The form had errors; they are in the form."""


def input_name(domain_field: str) -> str:
    return domain_field.removesuffix("_cents")


class Form:
    """Reads a submitted form; each reader notes an error against its field and returns
    None rather than stopping, so that every mistake is shown at once."""

    def __init__(self, data: Mapping[str, str], t: Translator, page: FormPage) -> None:
        self.data = data
        self.t = t
        self.page = page
        page.values = {k: v for k, v in data.items() if k not in _BOOKKEEPING}
        page.form_key = data.get("form_key") or page.form_key

    def refuse(self, name: str, message: str) -> None:
        self.page.errors.setdefault(name, message)

    def refused_by(self, error: DomainError | NotFound) -> None:
        """The rule that refused the command, by the field it names when the form has
        it, above the form otherwise."""
        name = input_name(error.field or "")
        message = (
            self.t.refusal(error)
            if isinstance(error, DomainError)
            else self.t("error.unknown_reference")
        )
        self.refuse(name if self.page.known(name) else "", message)

    def text(self, name: str, *, required: bool = True) -> str:
        value = self.data.get(name, "").strip()
        if required and not value:
            self.refuse(name, self.t("error.required"))
        return value

    def money(self, name: str, *, required: bool = True) -> int | None:
        text = self.text(name, required=required)
        if not text:
            return None
        try:
            return money.typed(text, self.t.language)
        except money.AmountUnreadable:
            self.refuse(name, self.t("error.money"))
            return None

    def whole(self, name: str, *, required: bool = True) -> int | None:
        text = self.text(name, required=required)
        if not text:
            return None
        digits = text.replace(" ", "").replace("\u00a0", "").replace(",", "")
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 13):
            self.refuse(name, self.t("error.whole_number"))
            return None
        return int(digits)

    def day(self, name: str, *, required: bool = True) -> date | None:
        text = self.text(name, required=required)
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.refuse(name, self.t("error.date"))
            return None

    def choice(self, name: str, kind: type[E], *, required: bool = True) -> E | None:
        text = self.text(name, required=required)
        if not text:
            return None
        try:
            return kind(text)
        except ValueError:
            self.refuse(name, self.t("error.choice"))
            return None

    def choices(self, name: str, kind: type[E], *, required: bool = True) -> list[E]:
        """The options ticked among ``name``'s checkboxes (``name.<option>``), in the
        options' order."""
        ticked = [option for option in kind if self.data.get(f"{name}.{option.value}")]
        if required and not ticked:
            self.refuse(name, self.t("error.choose_one"))
        return ticked

    def id(self, name: str, *, required: bool = True) -> UUID | None:
        text = self.text(name, required=required)
        if not text:
            return None
        try:
            return UUID(text)
        except ValueError:
            self.refuse(name, self.t("error.choice"))
            return None

    def fiscal_year(self, name: str, *, required: bool = True) -> FiscalYear | None:
        text = self.text(name, required=required)
        if not text:
            return None
        try:
            return FiscalYear(text)
        except DomainError as error:
            self.refuse(name, self.t.refusal(error))
            return None

    def cash_flow(self, name: str, rows: int, *, required: bool = True) -> list[CashFlowLine]:
        """The filled lines of a cash flow of ``rows`` lines."""
        lines = []
        for n in range(rows):
            year = self.fiscal_year(f"{name}[{n}].fiscal_year", required=False)
            cents = self.money(f"{name}[{n}].amount", required=year is not None)
            if year is not None and cents is not None:
                lines.append(CashFlowLine(year, cents))
            elif cents is not None:
                self.refuse(f"{name}[{n}].fiscal_year", self.t("error.required"))
        if required and not lines and not self.page.errors:
            self.refuse(f"{name}[0].fiscal_year", self.t("error.required"))
        return lines

    def check(self) -> None:
        if self.page.errors:
            raise Refused

    def context(self, user: User) -> Context:
        """The command's context: a second send of the same form (a double click, a
        reload) gets the first answer and records nothing; a form opened before the
        project changed is refused."""
        fields = {k: v for k, v in self.data.items() if k != "csrf_token"}
        fingerprint = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
        return Context(
            actor=user.name,
            expected_version=version_seen(self.data.get("version", "")),
            claim=Claim(user=user.name, key=f"web:{self.page.form_key}", fingerprint=fingerprint),
        )


def version_seen(written: str) -> int | None:
    """The version a form was opened on, as the page wrote it: ASCII digits (isdigit()
    also takes "²"), or none."""
    return int(written) if written.isascii() and written.isdigit() and len(written) < 10 else None


def submit(
    data: Mapping[str, str],
    t: Translator,
    page: FormPage,
    command: Callable[[Form], Receipt],
) -> Receipt | None:
    """Runs the command the form describes; None when it was refused, the refusals then
    in ``page``."""
    form = Form(data, t, page)
    try:
        return command(form)
    except Refused:
        return None
    except (DomainError, NotFound) as error:
        form.refused_by(error)
    return None
