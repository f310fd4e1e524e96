"""The waterfall as an image (PNG or SVG), for integrators who want one.

Matplotlib's object API on the Agg canvas (no pyplot, no display, no global state shared
between threads). Colour is never the only cue: every bar carries its signed value, bars toward
refusal are hatched, and the legend says which is which. Both colours (Okabe-Ito vermillion and
blue) contrast with the white background by more than 3:1 (``credit_core.contrast``). An SVG
carries the text alternative as its <title>/<desc>.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["APPROVAL_COLOUR", "BACKGROUND", "REFUSAL_COLOUR", "render"]

REFUSAL_COLOUR = "#C0470A"  # darkened Okabe-Ito vermillion
APPROVAL_COLOUR = "#0072B2"  # Okabe-Ito blue
BACKGROUND = "#FFFFFF"
_TEXT = "#1A1A1A"


def _draw(axes: Any, data: dict[str, Any], language: str, raw_threshold: float | None) -> None:
    steps = data["steps"]
    key = "label_fr" if language == "fr" else "label"
    for row, step in enumerate(steps):
        up = step["contribution"] >= 0
        left = min(step["start"], step["end"])
        axes.barh(row, abs(step["contribution"]), left=left, height=0.6,
                  color=REFUSAL_COLOUR if up else APPROVAL_COLOUR, hatch="//" if up else None,
                  edgecolor=_TEXT, linewidth=0.6)
        sign = "+" if up else "−"
        axes.annotate(f"{sign}{abs(step['contribution']):.2f}",
                      (max(step["start"], step["end"]), row), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize=8, color=_TEXT)
    axes.set_yticks(range(len(steps)), [s[key][:48] for s in steps], fontsize=8)
    axes.invert_yaxis()
    axes.axvline(data["base_value"], color=_TEXT, linestyle=":", linewidth=1,
                 label="base value" if language == "en" else "valeur de base")
    if raw_threshold is not None:
        axes.axvline(raw_threshold, color=_TEXT, linestyle="--", linewidth=1,
                     label="decision threshold" if language == "en" else "seuil de décision")
    axes.set_xlabel("raw score (log-odds)" if language == "en" else "score brut (log-odds)")


def render(data: dict[str, Any], title: str, alt: str, image_format: str, language: str,
           raw_threshold: float | None) -> bytes:
    """The chart as PNG or SVG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    figure = Figure(figsize=(8, 0.45 * len(data["steps"]) + 1.8), dpi=100,
                    facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    _draw(axes, data, language, raw_threshold)
    refusal, approval = (("toward refusal (+)", "toward approval (−)") if language == "en"
                         else ("vers le refus (+)", "vers l'acceptation (−)"))
    handles, _ = axes.get_legend_handles_labels()
    handles += [Patch(facecolor=REFUSAL_COLOUR, hatch="//", edgecolor=_TEXT, label=refusal),
                Patch(facecolor=APPROVAL_COLOUR, edgecolor=_TEXT, label=approval)]
    axes.legend(handles=handles, fontsize=8, loc="lower right")
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format, metadata={"Title": title, "Description": alt})
    content = buffer.getvalue()
    if image_format == "svg":
        content = _accessible_svg(content, title, alt)
    return content


def _accessible_svg(content: bytes, title: str, alt: str) -> bytes:
    """Give the SVG a role, a title and a description that screen readers announce."""
    text = content.decode("utf-8")
    start = text.index("<svg")
    end = text.index(">", start)
    head = text[start:end].replace("<svg", '<svg role="img" aria-labelledby="chart-title '
                                   'chart-desc"', 1)
    extra = (f'<title id="chart-title">{escape(title)}</title>'
             f'<desc id="chart-desc">{escape(alt)}</desc>')
    return (text[:start] + head + ">" + extra + text[end + 1:]).encode("utf-8")
