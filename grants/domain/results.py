"""What a project reports of its results: counts against the indicators the Strategy's
results framework has in use when the report is made. The application hands their codes
in; reports stored before keep the codes they were made with, whatever the framework
says since."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from grants.domain.errors import InvalidValue, UnknownIndicator, rule
from grants.domain.values import count


def indicator_values(values: Mapping[str, int], in_use: Collection[str]) -> dict[str, int]:
    """Validates reported values: codes of indicators in use, whole numbers from zero to
    a trillion."""
    if not values:
        raise InvalidValue(
            rule("a results report needs at least one indicator"), field="indicators"
        )
    if not in_use:
        raise UnknownIndicator(
            rule(
                "the results framework has no indicator in use yet: the Strategy team "
                "defines them first"
            ),
            field="indicators",
        )
    for code, value in values.items():
        if code not in in_use:
            raise UnknownIndicator(
                rule("{given} is not an indicator in use in the results framework ({codes})"),
                field=f"indicators.{code[:40]}",
                given=repr(code[:40]),
                codes=tuple(in_use),
            )
        count(value, field=f"indicators.{code}")
    return dict(sorted(values.items()))
