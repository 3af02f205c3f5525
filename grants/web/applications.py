"""What an application says, as its forms ask it: the recipient, the titles, the pillar
and the amount requested; the same fields when it is received and when it is corrected.
Nothing is preset that a person should choose: a select starts on "Choose"."""

from __future__ import annotations

from typing import NamedTuple

from grants import money
from grants.domain.recipient import PROVINCE_NAMES, Recipient
from grants.domain.reference import Pillar
from grants.web.forms import Field, Form
from grants.web.i18n import Translator
from grants.wording import Language


class Applicant(NamedTuple):
    recipient: Recipient
    title_en: str
    title_fr: str
    pillar: Pillar | None
    requested_cents: int | None


def choose(t: Translator) -> tuple[str, str]:
    return ("", t("option.choose"))


def applicant_fields(t: Translator) -> list[Field]:
    french = t.language is Language.FR
    return [
        Field("recipient.legal_name", t("field.legal_name")),
        Field(
            "recipient.province",
            t("field.province"),
            "select",
            [choose(t)]
            + [
                (code, names[french])
                for code, names in sorted(PROVINCE_NAMES.items(), key=lambda item: item[1][french])
            ],
        ),
        Field(
            "recipient.business_number",
            t("field.business_number"),
            required=False,
            hint=t("hint.business_number"),
        ),
        Field("title_en", t("field.title_en")),
        Field("title_fr", t("field.title_fr"), required=False),
        Field(
            "pillar",
            t("field.pillar"),
            "select",
            [choose(t)] + [(p.value, t.pillar(p)) for p in Pillar],
            hint=t("hint.call_pillar"),
        ),
        Field("requested", t("field.requested"), "money"),
    ]


def applicant_values(t: Translator, applicant: Applicant) -> dict[str, str]:
    """What the fields show of an application as it reads now."""
    recipient = applicant.recipient
    return {
        "recipient.legal_name": recipient.legal_name,
        "recipient.province": recipient.province or "",
        "recipient.business_number": recipient.business_number or "",
        "title_en": applicant.title_en,
        "title_fr": applicant.title_fr,
        "pillar": applicant.pillar.value if applicant.pillar else "",
        "requested": money.editable(applicant.requested_cents or 0, t.language),
    }


def applicant(form: Form, country: str = "CA") -> Applicant:
    """The fields as typed, each refusal noted against its field."""
    legal_name = form.text("recipient.legal_name")
    province = form.text("recipient.province")
    business_number = form.text("recipient.business_number", required=False)
    return Applicant(
        Recipient(legal_name, province, business_number or None, country),
        form.text("title_en"),
        form.text("title_fr", required=False),
        form.choice("pillar", Pillar),
        form.money("requested"),
    )
