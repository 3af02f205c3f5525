"""Money as people type and read it in each language, without I/O: an amount typed the
other language's way is refused with how to write it, never read 100 times too large."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants import money
from grants.domain.values import MAX_CENTS

NBSP = "\u00a0"
amounts = st.integers(0, MAX_CENTS)


@pytest.mark.parametrize(
    ("typed", "language", "cents"),
    [
        ("1,234.56", "en", 123_456),
        ("1234.56", "en", 123_456),
        ("$1,234.56", "en", 123_456),
        ("1234.5", "en", 123_450),
        ("250,000", "en", 25_000_000),
        (" 1000 ", "en", 100_000),
        ("1 234,56", "fr", 123_456),
        (f"1{NBSP}234,56{NBSP}$", "fr", 123_456),
        ("1\u202f234,56 $", "fr", 123_456),
        ("1234,56", "fr", 123_456),
        ("250 000,00 $", "fr", 25_000_000),
        ("1234", "fr", 123_400),
    ],
)
def test_an_amount_is_read_as_the_page_s_language_writes_it(
    typed: str, language: str, cents: int
) -> None:
    assert money.typed(typed, language) == cents


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("250 000,00 $", "en"),  # once recorded as $25,000,000.00
        ("1 234,56 $", "en"),  # once recorded as $123,456.00
        ("1,23", "en"),  # a comma not followed by three digits
        ("12.345", "en"),  # more than two decimals
        ("1,2345.00", "en"),
        ("1.234,56", "fr"),
        ("1234.56", "fr"),  # the English point on a French page
        ("1,234", "fr"),  # three decimals, or a thousands comma: neither is guessed
        ("-100", "en"),
        ("lots", "en"),
        ("", "fr"),
        ("\u0661\u0662\u0663", "en"),  # other digits
    ],
)
def test_an_amount_that_would_need_a_guess_is_refused_saying_how_to_write_it(
    typed: str, language: str
) -> None:
    with pytest.raises(money.AmountUnreadable) as refused:
        money.typed(typed, language)
    assert ("1,234.56" if language == "en" else "1 234,56") in str(refused.value)


def test_amounts_are_shown_as_each_language_writes_them() -> None:
    assert money.shown(123_456_789, "en") == "$1,234,567.89"
    assert money.shown(123_456_789, "fr") == f"1{NBSP}234{NBSP}567,89{NBSP}$"
    assert money.shown(-500, "fr") == f"-5,00{NBSP}$"
    assert money.editable(25_000_000, "en") == "250,000.00"
    assert money.editable(25_000_000, "fr") == f"250{NBSP}000,00"
    assert money.plain(-123_456) == "-1234.56"


@given(amounts, st.sampled_from(["en", "fr"]))
def test_what_a_page_shows_reads_back_to_the_same_cents(cents: int, language: str) -> None:
    assert money.typed(money.shown(cents, language), language) == cents
    assert money.typed(money.editable(cents, language), language) == cents
