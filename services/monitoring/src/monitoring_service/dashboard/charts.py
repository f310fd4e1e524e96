"""Inline SVG charts with their text alternatives: each chart has a title and a description
for screen readers (role="img") and its figures as a table a click away.

Colours keep at least 4.5:1 contrast on white (WCAG AA), and series differ by shape or dash
as well as by colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import count

__all__ = ["CURRENT", "DRIFT", "OK", "REFERENCE", "THRESHOLD", "Bar", "Series",
           "bar_chart", "data_table", "grouped_histogram", "line_chart"]

CURRENT = "#1d4ed8"
REFERENCE = "#4b5563"
DRIFT = "#b91c1c"
OK = "#15803d"
THRESHOLD = "#b45309"
_GRID = "#d1d5db"
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str
    dashed: bool = False


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    color: str
    note: str = ""


def _svg(title: str, description: str, width: int, height: int, body: str) -> str:
    number = next(_ids)
    return (f'<svg role="img" aria-labelledby="chart{number}t chart{number}d" '
            f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="chart{number}t">{escape(title)}'
            f'</title><desc id="chart{number}d">{escape(description)}</desc>{body}</svg>')


def data_table(caption: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The figures of a chart as a table, folded under a summary."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return (f"<details><summary>{escape(caption)} (table)</summary><table><caption>"
            f"{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f"</table></details>")


def _y_axis(top: float, left: int, width: int, height: int, y_max: float) -> str:
    parts = []
    for step in range(5):
        value = y_max * step / 4
        y = top + height - height * step / 4
        parts.append(f'<line x1="{left}" x2="{left + width}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{_GRID}"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end" font-size="11" fill="#111827">{value:.2g}</text>')
    return "".join(parts)


def line_chart(title: str, description: str, labels: Sequence[str], series: Sequence[Series],
               y_max: float, lines: Sequence[tuple[str, float, str]] = ()) -> str:
    """Series over labelled steps (e.g. runs or weeks), with horizontal reference lines."""
    width, height, left, top, plot_w, plot_h = 640, 230, 48, 12, 570, 170
    y_max = y_max or 1.0
    step = plot_w / max(len(labels) - 1, 1)

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * min(value, y_max) / y_max

    parts = [_y_axis(top, left, plot_w, plot_h, y_max)]
    for name, value, color in lines:
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y_of(value):.1f}" '
                     f'y2="{y_of(value):.1f}" stroke="{color}" stroke-dasharray="6 4">'
                     f"<title>{escape(name)}: {value:.3g}</title></line>")
    for item in series:
        points = [(left + i * step, y_of(v)) for i, v in enumerate(item.values) if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dash = ' stroke-dasharray="3 3"' if item.dashed else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{item.color}" '
                     f'stroke-width="2"{dash}/>')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{item.color}"/>'
                     for x, y in points)
    for i in sorted({0, len(labels) // 2, len(labels) - 1}) if labels else []:
        anchor = "start" if i == 0 else "end" if i == len(labels) - 1 else "middle"
        parts.append(f'<text x="{left + i * step:.1f}" y="{top + plot_h + 18}" font-size="11" '
                     f'text-anchor="{anchor}" fill="#111827">{escape(labels[i])}</text>')
    legend = [(s.name, s.color) for s in series] + [(n, c) for n, _, c in lines]
    for i, (name, color) in enumerate(legend):
        x = left + i * 150
        parts.append(f'<rect x="{x}" y="{height - 16}" width="12" height="4" fill="{color}"/>'
                     f'<text x="{x + 16}" y="{height - 11}" font-size="11" fill="#111827">'
                     f"{escape(name)}</text>")
    return _svg(title, description, width, height, "".join(parts))


def bar_chart(title: str, description: str, bars: Sequence[Bar], max_value: float,
              marker: float | None = None, marker_name: str = "") -> str:
    """Horizontal bars with their labels and notes; an optional vertical marker line."""
    width, left, bar_w, row_h, top = 760, 230, 300, 24, 8
    height = top + row_h * len(bars) + 24
    scale = bar_w / (max_value or 1.0)
    parts = []
    for i, bar in enumerate(bars):
        y = top + i * row_h
        label = bar.label if len(bar.label) <= 32 else bar.label[:31] + "…"
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="11" '
                     f'fill="#111827">{escape(label)}</text>'
                     f'<rect x="{left}" y="{y + 4}" width="{max(bar.value * scale, 1):.1f}" '
                     f'height="14" fill="{bar.color}"/><text x="{left + bar_w + 8}" '
                     f'y="{y + 15}" font-size="11" fill="#111827">{escape(bar.note)}</text>')
    if marker is not None:
        x = left + marker * scale
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 20}" '
                     f'stroke="{THRESHOLD}" stroke-dasharray="6 4"/><text x="{x:.1f}" '
                     f'y="{height - 6}" font-size="11" text-anchor="middle" fill="#111827">'
                     f"{escape(marker_name)}</text>")
    return _svg(title, description, width, height, "".join(parts))


def grouped_histogram(title: str, description: str, edges: Sequence[float],
                      series: Sequence[Series]) -> str:
    """Shares per bin, one bar per series in each bin (e.g. reference and current scores)."""
    width, height, left, top, plot_w, plot_h = 640, 230, 48, 12, 570, 170
    peak = max((v or 0.0) for s in series for v in s.values) or 1.0
    bins = len(edges) - 1
    slot = plot_w / bins
    bar = slot * 0.8 / max(len(series), 1)
    parts = [_y_axis(top, left, plot_w, plot_h, peak)]
    for k, item in enumerate(series):
        for i, value in enumerate(item.values):
            h = plot_h * (value or 0.0) / peak
            x = left + i * slot + slot * 0.1 + k * bar
            parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{item.color}"/>')
    for i in range(0, bins + 1, max(bins // 4, 1)):
        parts.append(f'<text x="{left + i * slot:.1f}" y="{top + plot_h + 16}" font-size="11" '
                     f'text-anchor="middle" fill="#111827">{edges[i]:.2f}</text>')
    for i, item in enumerate(series):
        parts.append(f'<rect x="{left + i * 150}" y="{height - 20}" width="12" height="10" '
                     f'fill="{item.color}"/><text x="{left + i * 150 + 16}" y="{height - 11}" '
                     f'font-size="11" fill="#111827">{escape(item.name)}</text>')
    return _svg(title, description, width, height, "".join(parts))
