"""What an agreement must say for its open-data disclosure depends on when it starts,
as the publication's own rules say; a program's publication details are checked."""

from __future__ import annotations

from datetime import date

import pytest

from grants.domain.disclosure import Disclosure
from grants.domain.errors import InvalidValue
from tests.stories import DISCLOSURE, approved, program

BEFORE_2018 = date(2018, 3, 1)
SINCE_DECEMBER_2025 = date(2026, 1, 5)


def test_agreements_from_april_2018_need_a_description_and_a_city() -> None:
    Disclosure().check(BEFORE_2018)
    DISCLOSURE.check(date(2021, 6, 1))
    with pytest.raises(InvalidValue) as refused:
        Disclosure(recipient_city="Ottawa", description_en="Shelter").check(date(2021, 6, 1))
    assert refused.value.field == "disclosure.description_fr"


def test_agreements_from_december_2025_need_type_and_expected_results_in_their_formats() -> None:
    with pytest.raises(InvalidValue) as refused:
        DISCLOSURE.check(SINCE_DECEMBER_2025)
    assert refused.value.field == "disclosure.recipient_type"
    complete = Disclosure.written(
        recipient_type="N",
        recipient_city="Ottawa",
        recipient_postal_code=" k1a0b1 ",
        description_en="Shelter",
        description_fr="Refuge",
        expected_results_en="Safety",
        expected_results_fr="Sécurité",
    )
    complete.check(SINCE_DECEMBER_2025)
    assert complete.recipient_postal_code == "K1A 0B1"
    with pytest.raises(InvalidValue) as refused:
        Disclosure.written(**{**vars(complete), "federal_riding_number": "4601"}).check(
            SINCE_DECEMBER_2025
        )
    assert refused.value.field == "disclosure.federal_riding_number"


def test_the_recipient_type_is_one_of_the_publication_s_and_numbers_have_no_comma() -> None:
    with pytest.raises(InvalidValue) as refused:
        Disclosure(**{**vars(DISCLOSURE), "recipient_type": "X"}).check(date(2021, 6, 1))
    assert refused.value.field == "disclosure.recipient_type"
    with pytest.raises(InvalidValue) as refused:
        Disclosure(**{**vars(DISCLOSURE), "agreement_number": "A,1"}).check(date(2021, 6, 1))
    assert refused.value.field == "disclosure.agreement_number"


def test_an_agreement_without_its_disclosure_is_refused_and_records_nothing() -> None:
    project = approved()
    project.collect_events()
    with pytest.raises(InvalidValue):
        project.sign_agreement(
            start_on=date(2021, 6, 1),
            end_on=date(2023, 3, 31),
            payment_basis="reimbursement",  # type: ignore[arg-type]
            holdback_percent=10,
            disclosure=Disclosure(),
            actor="olivia",
            effective_on=date(2021, 6, 1),
        )
    assert project.collect_events() == []


def test_a_program_s_publication_details_are_checked() -> None:
    victims_fund = program()
    with pytest.raises(InvalidValue) as refused:
        victims_fund.set_publication_details(
            department_number="12", purpose_en="Help", purpose_fr="Aider",
            actor="olivia", effective_on=date(2021, 4, 1),
        )  # fmt: skip
    assert refused.value.field == "department_number"
    victims_fund.set_publication_details(
        department_number="012", purpose_en=" Help  victims ", purpose_fr="Aider",
        actor="olivia", effective_on=date(2021, 4, 1),
    )  # fmt: skip
    assert victims_fund.publication is not None
    assert victims_fund.publication.purpose_en == "Help victims"
