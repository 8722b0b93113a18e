"""Charts drawn on the server as SVG (X-7, X-2): no script, no external resource.

Each chart is a horizontal bar chart of one column of a section. It is an image with a title
(``role="img"``, ``aria-labelledby``); the page shows the same figures in a data table beside it,
which is what screen readers read. Colours come from SVG attributes (the Content-Security-Policy
allows no ``style=`` attribute).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_AREA = 320
VALUE_WIDTH = 80
TOP = 8


def _number(value: object) -> Decimal:
    if value is None or isinstance(value, bool):
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def bar_chart_svg(*, chart_id: str, title: str, labels: Sequence[str], values: Sequence[object]) -> SafeString:
    """A horizontal bar per label, its length proportional to the value (zero and negative: no bar)."""
    numbers = [_number(v) for v in values]
    top = max([n for n in numbers if n > 0], default=Decimal(0))
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = TOP * 2 + max(len(labels), 1) * (BAR_HEIGHT + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'aria-labelledby="{chart_id}-title" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for i, (label, number, raw) in enumerate(zip(labels, numbers, values, strict=True)):
        y = TOP + i * (BAR_HEIGHT + GAP)
        length = int(BAR_AREA * number / top) if top > 0 and number > 0 else 0
        text_y = y + BAR_HEIGHT - 6
        shown = "" if raw is None else str(raw)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" font-size="13" fill="#1b1b1b">'
            f"{escape(label)}</text>"
        )
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="#1d5fa8"></rect>')
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{text_y}" font-size="13" fill="#1b1b1b">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text above is escaped
