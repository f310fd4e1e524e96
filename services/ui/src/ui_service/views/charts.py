"""Plotly figures: the reasons, a distribution, a scatter; sent without Plotly's mode bar.

Each figure goes to ``gr.Plot`` as Gradio's ``PlotData`` with a Plotly ``config`` that hides
the mode bar (its hover-only buttons cannot be reached with the keyboard). The charts are
decoration for sighted readers: the same numbers are always in a table beside them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from gradio.components.plot import PlotData

from ui_service.views.palette import APPLICANT, APPROVAL, BACKGROUND, GRID, REFUSAL, SCORE_SCALE, TEXT

__all__ = ["bars_figure", "distribution_figure", "plot_data", "scatter_figure"]

_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True,
           "scrollZoom": False}


def _layout(title: str, x_title: str, y_title: str, height: int) -> dict[str, Any]:
    axis = {"color": TEXT, "gridcolor": "#D0D0D0", "linecolor": GRID, "zerolinecolor": GRID}
    return {"title": {"text": title, "font": {"size": 15, "color": TEXT}},
            "paper_bgcolor": BACKGROUND, "plot_bgcolor": BACKGROUND, "height": height,
            "font": {"color": TEXT, "size": 12}, "margin": {"l": 10, "r": 20, "t": 50, "b": 50},
            "xaxis": {**axis, "title": {"text": x_title}, "automargin": True},
            "yaxis": {**axis, "title": {"text": y_title}, "automargin": True},
            "legend": {"orientation": "h", "y": -0.25, "font": {"color": TEXT}}}


def plot_data(figure: go.Figure) -> PlotData:
    """The figure as gr.Plot's payload, with the Plotly config the dashboard wants."""
    payload = json.loads(figure.to_json())
    payload["config"] = _CONFIG
    return PlotData(type="plotly", plot=json.dumps(payload))


def bars_figure(labels: Sequence[str], values: Sequence[float], title: str, axis: str,
                names: tuple[str, str]) -> go.Figure:
    """Horizontal bars of signed contributions: + toward refusal (hatched), − toward approval."""
    figure = go.Figure()
    for sign, name, colour, pattern in ((1, names[0], REFUSAL, "/"), (-1, names[1], APPROVAL, "")):
        chosen = [(label, value) for label, value in zip(labels, values, strict=True)
                  if (value > 0) == (sign > 0)]
        figure.add_bar(
            y=[label[:45] for label, _ in chosen], x=[value for _, value in chosen],
            orientation="h", name=name, text=[f"{value:+.2f}" for _, value in chosen],
            textposition="outside", marker={"color": colour, "line": {"color": TEXT, "width": 1},
                                            "pattern": {"shape": pattern, "fgcolor": "#FFFFFF"}})
    height = 120 + 32 * max(len(labels), 1)
    figure.update_layout(**_layout(title, axis, "", height), barmode="relative")
    figure.update_yaxes(autorange="reversed")
    return figure


def distribution_figure(centres: Sequence[float], repaid: Sequence[float],
                        defaulted: Sequence[float], applicant: float | None,
                        labels: dict[str, str]) -> go.Figure:
    """Shares of repaid and defaulted clients per interval, the applicant's value marked."""
    figure = go.Figure()
    figure.add_bar(x=list(centres), y=list(repaid), name=labels["repaid"],
                   marker={"color": APPROVAL, "line": {"color": TEXT, "width": 0.5}})
    figure.add_bar(x=list(centres), y=list(defaulted), name=labels["defaulted"],
                   marker={"color": REFUSAL, "line": {"color": TEXT, "width": 0.5},
                           "pattern": {"shape": "/", "fgcolor": "#FFFFFF"}})
    figure.update_layout(**_layout(labels["title"], labels["x"], labels["y"], 330),
                         barmode="group", bargap=0.1)
    if applicant is not None:
        figure.add_vline(x=applicant, line={"color": APPLICANT, "width": 3})
        figure.add_annotation(x=applicant, y=1.02, yref="paper", text=labels["applicant"],
                              showarrow=False, font={"color": TEXT, "size": 12},
                              bgcolor=BACKGROUND)
    return figure


def scatter_figure(points: Sequence[dict[str, Any]], applicant: tuple[float, float] | None,
                   by_score: bool, labels: dict[str, str]) -> go.Figure:
    """Clients as points (crosses for defaulted), coloured by outcome or score; a star for
    the applicant."""
    figure = go.Figure()
    for target, name, colour, symbol in ((0, labels["repaid"], APPROVAL, "circle"),
                                         (1, labels["defaulted"], REFUSAL, "x")):
        chosen = [p for p in points if p.get("target") == target]
        marker: dict[str, Any] = {"color": colour, "symbol": symbol, "size": 6, "opacity": 0.8}
        if by_score:
            marker.update(color=[p.get("probability", 0.0) for p in chosen],
                          colorscale=SCORE_SCALE, cmin=0, cmax=1, showscale=target == 0,
                          colorbar={"title": {"text": labels["score"]}, "tickformat": ".0%"})
        figure.add_scatter(x=[p["x"] for p in chosen], y=[p["y"] for p in chosen],
                             mode="markers", name=name, marker=marker)
    if applicant is not None:
        figure.add_scatter(x=[applicant[0]], y=[applicant[1]], mode="markers+text",
                           name=labels["applicant"], text=[labels["applicant"]],
                           textposition="top center", textfont={"color": TEXT, "size": 13},
                           marker={"color": APPLICANT, "symbol": "star", "size": 20,
                                   "line": {"color": BACKGROUND, "width": 1.5}})
    figure.update_layout(**_layout(labels["title"], labels["x"], labels["y"], 420))
    return figure
