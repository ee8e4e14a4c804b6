"""Geometry of the dashboard's monthly trend bar chart, drawn by a plain SVG template (no script,
no CDN): from the figures of ``selectors.monthly_trend`` to bar and tick positions."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class TrendChart:
    """Geometry of the monthly trend bar chart, drawn by a plain SVG template (no script, no CDN)."""

    width: int
    height: int
    plot_top: int
    plot_bottom: int
    left: int
    bars: list[dict]
    ticks: list[dict]
    max_value: int


def trend_chart(trend: list[dict], *, width: int = 720, height: int = 260) -> TrendChart:
    left, right, top, bottom = 36, 8, 12, 28
    plot_h = height - top - bottom
    peak = max([1, *(max(m["reported"], m["closed"]) for m in trend)])
    step = _nice_step(peak)
    top_value = step * math.ceil(peak / step)
    slot = (width - left - right) / max(1, len(trend))
    bar_w = max(2.0, slot * 0.36)
    bars = []
    for i, m in enumerate(trend):
        x = left + i * slot + (slot - 2 * bar_w) / 2
        rep_h = plot_h * m["reported"] / top_value
        clo_h = plot_h * m["closed"] / top_value
        bars.append(
            {
                "month": m["month"],
                "reported": m["reported"],
                "closed": m["closed"],
                "label_x": round(left + i * slot + slot / 2, 1),
                "reported_x": round(x, 1),
                "reported_y": round(top + plot_h - rep_h, 1),
                "reported_h": round(rep_h, 1),
                "closed_x": round(x + bar_w, 1),
                "closed_y": round(top + plot_h - clo_h, 1),
                "closed_h": round(clo_h, 1),
                "bar_w": round(bar_w, 1),
            }
        )
    ticks = [{"value": v, "y": round(top + plot_h - plot_h * v / top_value, 1)} for v in range(0, top_value + 1, step)]
    return TrendChart(
        width=width,
        height=height,
        plot_top=top,
        plot_bottom=top + plot_h,
        left=left,
        bars=bars,
        ticks=ticks,
        max_value=top_value,
    )


def _nice_step(peak: int) -> int:
    raw = max(1, peak / 4)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(1, int(factor * magnitude))
    return max(1, int(10 * magnitude))
