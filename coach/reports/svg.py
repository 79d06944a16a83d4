"""Chart primitives for the HTML reports: pure functions returning inline SVG strings.

Coordinates are computed here, so the charts need no script and print as drawn. Every label
goes through `html.escape`; labels too long for their column are cut with an ellipsis and keep
their full text in a `<title>` tooltip. There is no `xmlns`: SVG inside HTML5 needs none, and
the reports contain no URL of any kind.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

FONT_SIZE = 13
TEXT = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
TRACK = "#eaeef2"
LINE = "#0969da"


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: `value` out of `maximum`, with a note at the end."""

    label: str
    value: float
    maximum: float
    note: str = ""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    return f"{round(value, 2):g}"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated rendered width in px: CJK and full-width characters are one em, others 0.6."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def fit(text: str, max_width: float, size: float = FONT_SIZE) -> str:
    """`text` cut with an ellipsis so its estimated width stays within `max_width`."""
    text = " ".join(text.split())
    if text_width(text, size) <= max_width:
        return text
    out, used = "", text_width("…", size)
    for char in text:
        used += text_width(char, size)
        if used > max_width:
            break
        out += char
    return out + "…"


def bar_color(ratio: float) -> str:
    """Green for a strong share, amber for a middling one, red for a weak one."""
    if ratio >= 0.75:
        return "#2da44e"
    if ratio >= 0.4:
        return "#d4a72c"
    return "#cf222e"


def _label(x: float, y: float, text: str, full: str, anchor: str = "start") -> str:
    tip = f"<title>{_e(full)}</title>" if text != full else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{FONT_SIZE}" fill="{TEXT}" '
        f'text-anchor="{anchor}">{_e(text)}{tip}</text>'
    )


def hbar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    width: int = 800,
    label_width: int = 190,
    note_width: int = 96,
    row_height: int = 30,
) -> str:
    """Horizontal bars, one row per `Bar`: label left, filled share of a grey track, note right.

    A bar's fill is `value / maximum` of the track (clamped to 0..1), so bars of different
    maxima compare as shares; `data-value` and `data-max` carry the numbers themselves.
    """
    pad, bar_h = 8, 16
    track_x = label_width + pad
    track_w = width - track_x - note_width - pad
    height = max(len(bars), 1) * row_height + pad
    parts = [
        f'<svg class="chart bars" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
        f"<title>{_e(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        top = pad / 2 + i * row_height + (row_height - bar_h) / 2
        baseline = top + bar_h / 2 + FONT_SIZE * 0.36
        ratio = min(max(bar.value / bar.maximum, 0.0), 1.0) if bar.maximum > 0 else 0.0
        name = fit(bar.label, label_width - pad)
        parts.append(_label(label_width - pad, baseline, name, bar.label, anchor="end"))
        parts.append(
            f'<rect class="track" x="{track_x}" y="{_n(top)}" width="{track_w}" '
            f'height="{bar_h}" rx="3" fill="{TRACK}"/>'
        )
        parts.append(
            f'<rect class="bar" x="{track_x}" y="{_n(top)}" width="{_n(track_w * ratio)}" '
            f'height="{bar_h}" rx="3" fill="{bar_color(ratio)}" '
            f'data-value="{_n(bar.value)}" data-max="{_n(bar.maximum)}">'
            f"<title>{_e(bar.label)}: {_e(bar.note)}</title></rect>"
        )
        note = fit(bar.note, note_width)
        parts.append(_label(track_x + track_w + pad, baseline, note, bar.note))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    y_max: float = 100.0,
    suffix: str = "%",
    width: int = 800,
    height: int = 240,
) -> str:
    """A line through `(label, value)` points, evenly spaced left to right, with both axes.

    The y axis runs from 0 to `y_max` with gridlines at quarters; at most about eight x labels
    are printed so dates never overlap, and every point carries its value as a tooltip.
    """
    left, right, top, bottom = 48, 20, 22, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    inset = 36  # first and last points clear of the axis labels and the edge
    n = len(points)

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else inset + (plot_w - 2 * inset) * i / (n - 1))

    def y_at(value: float) -> float:
        share = min(max(value / y_max, 0.0), 1.0) if y_max > 0 else 0.0
        return top + plot_h * (1 - share)

    parts = [
        f'<svg class="chart line" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
        f"<title>{_e(title)}</title>",
    ]
    for quarter in range(5):
        value = y_max * quarter / 4
        y = y_at(value)
        parts.append(
            f'<line class="grid" x1="{left}" y1="{_n(y)}" x2="{left + plot_w}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{_n(y + 4)}" font-size="11" fill="{MUTED}" '
            f'text-anchor="end">{_e(f"{value:g}{suffix}")}</text>'
        )
    base = top + plot_h
    parts.append(
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{base}" '
        f'stroke="{MUTED}" stroke-width="1.5"/>'
        f'<line class="axis" x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" '
        f'stroke="{MUTED}" stroke-width="1.5"/>'
    )
    coords = [(x_at(i), y_at(value)) for i, (_, value) in enumerate(points)]
    if n > 1:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        parts.append(
            f'<polyline class="series" points="{path}" fill="none" stroke="{LINE}" '
            f'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    shown_at = max(min(n, 8), 2)  # evenly spaced x labels, first and last included
    labelled = {round(k * (n - 1) / (shown_at - 1)) for k in range(shown_at)}
    for i, ((label, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        shown = f"{round(value, 1):g}{suffix}"
        parts.append(
            f'<circle class="point" cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="#ffffff" '
            f'stroke="{LINE}" stroke-width="2.5" data-value="{_n(value)}">'
            f"<title>{_e(label)}: {_e(shown)}</title></circle>"
        )
        if n <= 12:
            parts.append(
                f'<text x="{_n(x)}" y="{_n(y - 9)}" font-size="11" fill="{TEXT}" '
                f'text-anchor="middle">{_e(shown)}</text>'
            )
        if i in labelled:
            tick = fit(label, plot_w / min(n, 8), 11)
            parts.append(
                f'<text x="{_n(x)}" y="{base + 18}" font-size="11" fill="{MUTED}" '
                f'text-anchor="middle">{_e(tick)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
