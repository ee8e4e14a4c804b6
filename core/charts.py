"""Chart data for the pages: what ``static/js/charts.js`` draws with ECharts.

A view builds a plain dict (``chart(...)``) and the template writes it with ``json_script`` beside
an element ``data-chart="<id>"`` (``templates/includes/chart.html``); the table the chart is drawn
from stays on the page, for printing without script and for screen readers. No chart text is HTML:
ECharts draws names and labels as text."""

from __future__ import annotations

from collections.abc import Sequence


def series(name: str, data: Sequence[int | float | None], *, colour: str = "", stack: str = "") -> dict:
    """One series: its legend name, one value per category, a colour name known to charts.js
    (reported, closed, red, orange, yellow, blue, green, grey) and an optional stack."""
    return {
        "name": str(name),
        "data": [None if v is None else float(v) for v in data],
        "colour": colour,
        "stack": stack,
    }


def chart(
    *, title: str, categories: Sequence[str], data: Sequence[dict], kind: str = "bar", horizontal: bool = False
) -> dict:
    if kind not in {"bar", "line"}:
        raise ValueError(f"chart kind {kind!r}")
    for one in data:
        if len(one["data"]) != len(categories):
            raise ValueError(f"series {one['name']!r} has {len(one['data'])} values for {len(categories)} categories")
    return {
        "kind": kind,
        "title": str(title),
        "categories": [str(c) for c in categories],
        "series": list(data),
        "horizontal": horizontal,
    }
