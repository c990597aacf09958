"""Chart geometry for server-side SVG (the same approach as the post-test results' bar chart):
Python works out every bar's position and size, templates draw <rect>s with CSS classes
(static/css/dashboard.css), and each chart also renders its figures as a table."""
from dataclasses import dataclass
from decimal import Decimal

BAR_AREA = 280  # px of the widest horizontal bar (of a 320-wide chart, the figure after it)
COLUMN_AREA = 160  # px of the tallest column


def _scale(value, largest, area: int) -> int:
    if not largest or not value:
        return 0
    return max(2, round(float(value) * area / float(largest)))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal
    length: int
    offset: int = 0  # where the bar starts, for stacked bars
    series: int = 0  # the CSS class series-<n>


def horizontal_bars(items: list[tuple[str, int]], *, area: int = BAR_AREA) -> list[Bar]:
    largest = max((value for _, value in items), default=0)
    return [Bar(label, value, _scale(value, largest, area)) for label, value in items]


def stacked_bar(parts: list[tuple[str, int]], *, area: int = BAR_AREA) -> list[Bar]:
    """One bar split into parts in proportion to the whole (done, in progress, overdue)."""
    total = sum(value for _, value in parts)
    bars, offset = [], 0
    for series, (label, value) in enumerate(parts):
        length = round(value * area / total) if total else 0
        bars.append(Bar(label, value, length, offset, series))
        offset += length
    return bars


@dataclass(frozen=True)
class Column:
    label: str
    total: Decimal
    segments: list[Bar]  # offset counts up from the baseline


def stacked_columns(labels: list[str], series: list[str],
                    values: dict[tuple[int, int], Decimal],
                    *, area: int = COLUMN_AREA) -> tuple[list[Column], Decimal]:
    """Columns (one per label) stacked by series; values keyed by (label index, series index).
    Returns the columns and the largest column total (the axis maximum)."""
    totals = [sum((values.get((i, s), Decimal(0)) for s in range(len(series))), Decimal(0))
              for i in range(len(labels))]
    largest = max(totals, default=Decimal(0))
    columns = []
    for i, label in enumerate(labels):
        segments, offset = [], 0
        for s, name in enumerate(series):
            value = values.get((i, s), Decimal(0))
            if not value:
                continue
            length = _scale(value, largest, area)
            segments.append(Bar(name, value, length, offset, s))
            offset += length
        columns.append(Column(label, totals[i], segments))
    return columns, largest
