"""Bar charts drawn on the server as SVG: no script, readable by screen readers (the
chart is an image named by its title and described by its figures; the table beside it
holds the same figures).

Each group's label sits above its bars rather than in a column beside them: the drawing
is then narrow enough (480 units) to be shown at 390 px at three quarters of its size,
its 15-unit text still 11 px, where the old 720-unit layout shrank it to 6 px."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

PLOT_WIDTH = 330
VALUE_WIDTH = 150  # room after the longest bar for its amount ("64 075 082,00 $")
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 12
TOP = 30  # room for the legend
LEGEND_STEP = 160


@dataclass(frozen=True)
class Series:
    """A series' name, and the class its bars and legend are drawn with."""

    name: str
    style: str


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    style: str
    value: str


@dataclass(frozen=True)
class GroupLabel:
    y: int
    text: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    series: Sequence[Series]
    labels: Sequence[GroupLabel]
    bars: Sequence[Bar]
    width: int
    height: int
    legend_step: int = LEGEND_STEP


def bar_chart(
    id: str,
    title: str,
    series: Sequence[Series],
    groups: Sequence[tuple[str, Sequence[int]]],
    money: Callable[[int], str],
) -> BarChart:
    """Horizontal bars, one group per label with a bar per series, scaled to the largest
    value; negative values (more recovered than paid) draw as empty bars."""
    largest = max((value for _, values in groups for value in values), default=0) or 1
    labels, bars = [], []
    y = TOP
    for label, values in groups:
        labels.append(GroupLabel(y + LABEL_HEIGHT - 5, label))
        y += LABEL_HEIGHT
        for one, value in zip(series, values, strict=True):
            width = round(PLOT_WIDTH * max(value, 0) / largest)
            bars.append(Bar(0, y, width, one.style, money(value)))
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    description = "; ".join(
        f"{label}: "
        + ", ".join(f"{s.name} {money(value)}" for s, value in zip(series, values, strict=True))
        for label, values in groups
    )
    return BarChart(
        id=id,
        title=title,
        description=description,
        series=series,
        labels=labels,
        bars=bars,
        width=PLOT_WIDTH + VALUE_WIDTH,
        height=y,
    )
