"""Money, numbers and amounts typed in, as people write them in each language."""

from __future__ import annotations

from grants.web.i18n import MESSAGES, NBSP, Language, Translator

EN, FR = Translator(Language.EN), Translator(Language.FR)


def test_amounts_read_as_people_write_them_in_each_language() -> None:
    assert EN.money(123_456_789) == "$1,234,567.89"
    assert FR.money(123_456_789) == f"1{NBSP}234{NBSP}567,89{NBSP}$"
    assert EN.money(5) == "$0.05"
    assert FR.money(-100_000) == f"-1{NBSP}000,00{NBSP}$"
    assert FR.number(12_345) == f"12{NBSP}345"


def test_every_message_has_both_languages() -> None:
    assert all(en.strip() and fr.strip() for en, fr in MESSAGES.values())


def test_names_come_from_the_domain_in_each_language() -> None:
    assert FR.pillar("prosecution") == "Poursuites"
    assert EN.department("WAGE") == "Women and Gender Equality Canada"
    assert FR.department("WAGE") == "Femmes et Égalité des genres Canada"
    assert FR.name({"title_en": "The Essentials", "title_fr": ""}) == "The Essentials"
