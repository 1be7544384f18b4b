"""Server-drawn SVG charts: geometry only, worked out here; the templates draw.

Each chart is followed on the page by a table of the same numbers, which is
what screen readers read (the SVG is ``aria-hidden``). Right-to-left pages get
mirrored charts: bars grow from the right and time runs right to left.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 640
ROW = 34  # height of one bar's row: its label above, the bar below
BAR = 14
VALUE_ROOM = 90  # space kept beside the longest bar for its number


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value, formatted for the reader
    label_x: float
    label_y: float
    x: float
    y: float
    width: float
    value_x: float
    css: str


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    rtl: bool


def bar_chart(
    rows: Sequence[tuple[str, float]],
    number: Callable[[float], str],
    *,
    rtl: bool,
    css: Sequence[str] = ("chart-bar",),
) -> BarChart:
    """Horizontal bars, the longest filling the width less room for its number."""
    largest = max((value for _label, value in rows), default=0) or 1
    room = WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value) in enumerate(rows):
        top = index * ROW
        width = max(room * value / largest, 1 if value else 0)
        x = WIDTH - width if rtl else 0
        bars.append(
            Bar(
                label=label,
                text=number(value),
                label_x=WIDTH if rtl else 0,
                label_y=top + 12,
                x=x,
                y=top + 16,
                width=round(width, 1),
                value_x=(x - 6) if rtl else (width + 6),
                css=css[index % len(css)],
            )
        )
    return BarChart(bars, WIDTH, max(len(rows) * ROW, ROW), rtl)


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    css: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    ticks: list[Tick]
    width: int
    height: int
    baseline: int
    top_label: str
    rtl: bool


def weekly_columns(
    weeks: Sequence[tuple[datetime.date, int, int]],
    day: Callable[[datetime.date], str],
    number: Callable[[float], str],
    *,
    rtl: bool,
) -> ColumnChart:
    """Two columns a week (enrolled, completed); a date under every third week."""
    plot_height = 160
    baseline = plot_height + 10
    largest = max((max(e, c) for _w, e, c in weeks), default=0) or 1
    slot = WIDTH / max(len(weeks), 1)
    column = max(min(slot / 3, 22), 2)
    columns, ticks = [], []
    for index, (week, enrolled, completed) in enumerate(weeks):
        position = len(weeks) - 1 - index if rtl else index
        left = position * slot + (slot - 2 * column) / 2
        for offset, (value, css) in enumerate(
            ((enrolled, "chart-bar"), (completed, "chart-bar chart-bar--completed"))
        ):
            height = plot_height * value / largest
            columns.append(
                Column(
                    x=round(left + offset * column, 1),
                    y=round(baseline - height, 1),
                    width=round(column, 1),
                    height=round(height, 1),
                    css=css,
                )
            )
        if index % 3 == 0:
            # Labelled from the edge of the week's slot where reading starts.
            edge = (position + 1) * slot if rtl else position * slot
            ticks.append(Tick(round(edge, 1), day(week)))
    return ColumnChart(
        columns, ticks, WIDTH, baseline + 24, baseline, number(largest), rtl
    )
