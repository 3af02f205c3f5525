"""Money, numbers and words, as people write them in each language: every message the
code asks for, and every refusal the domain can give, is in both catalogues."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from grants import wording
from grants.domain.errors import AllocationExceeded, rule
from grants.web.i18n import Translator
from grants.wording import Language

EN, FR = Translator(Language.EN), Translator(Language.FR)
NBSP = "\u00a0"
ROOT = Path(wording.__file__).resolve().parents[1]
# A message id rather than a sentence: words joined by dots.
KEY = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")


def test_amounts_read_as_people_write_them_in_each_language() -> None:
    assert EN.money(123_456_789) == "$1,234,567.89"
    assert FR.money(123_456_789) == f"1{NBSP}234{NBSP}567,89{NBSP}$"
    assert EN.money(5) == "$0.05"
    assert FR.money(-100_000) == f"-1{NBSP}000,00{NBSP}$"
    assert FR.number(12_345) == f"12{NBSP}345"


def asked_for() -> set[str]:
    """The messages the code and the templates ask the catalogues for, as Babel
    extracts them: keys (``t("nav.dashboard")``) and refusals (``rule("...")``)."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    found = extract_from_dir(
        ROOT, method_map, options_map, keywords={"t": None, "_": None, "rule": None}
    )
    return {str(message) for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_message_asked_for_is_in_both_languages() -> None:
    english, french = wording.catalogue(Language.EN), wording.catalogue(Language.FR)
    asked = asked_for()
    assert len(asked) > 200
    keys = {message for message in asked if KEY.fullmatch(message)}
    assert sorted(keys - set(english)) == []
    assert sorted(asked - set(french)) == []
    assert all(text.strip() for text in (*english.values(), *french.values()))


def test_a_refusal_reads_in_each_language_with_its_amounts_written_as_each_writes_them() -> None:
    refused = AllocationExceeded(
        rule(
            "{available_cents} is left to commit in {fiscal_year} of an allocation "
            "of {allocation_cents} ({program}): {asked_cents} more cannot be committed"
        ),
        program="Victims Fund",
        fiscal_year="2026-27",
        available_cents=0,
        allocation_cents=0,
        asked_cents=10_000_000,
    )
    assert EN.refusal(refused) == (
        "$0.00 is left to commit in 2026-27 of an allocation of $0.00 (Victims Fund): "
        "$100,000.00 more cannot be committed"
    )
    assert FR.refusal(refused) == (
        f"il reste 0,00{NBSP}$ à engager en 2026-27 sur une affectation de 0,00{NBSP}$ "
        f"(Victims Fund) : 100{NBSP}000,00{NBSP}$ de plus ne peuvent pas être engagés"
    )


def test_names_come_from_the_domain_in_each_language() -> None:
    assert FR.pillar("prosecution") == "Poursuites"
    assert EN.department("WAGE") == "Women and Gender Equality Canada"
    assert FR.department("WAGE") == "Femmes et Égalité des genres Canada"
    assert FR.name({"title_en": "The Essentials", "title_fr": ""}) == "The Essentials"
