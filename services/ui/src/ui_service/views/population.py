"""The applicant among the other clients: distributions (all and similar) and a scatter.

Answers of scoring's ``/v1/population/*``. Distributions are drawn as the share of each group
(repaid, defaulted) per interval, so the two are comparable although defaults are rare; the
tables give the counts and the default rate per interval.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from html import escape
from typing import Any

from gradio.components.plot import PlotData

from ui_service.i18n import feature_label, number, percent, t
from ui_service.views.charts import distribution_figure, plot_data, scatter_figure
from ui_service.views.tables import html_table, paragraph

__all__ = ["distribution_view", "fmt", "scatter_view"]


def fmt(value: float | None, language: str) -> str:
    """A feature value with as many digits as its size needs."""
    if value is None:
        return "—"
    size = abs(value)
    return number(value, 0 if size >= 100 else 2 if size >= 1 else 3, language)


def _interval(edges: Sequence[float], index: int, language: str) -> str:
    return f"[{fmt(edges[index], language)} ; {fmt(edges[index + 1], language)}["


def _bin_of(edges: Sequence[float], value: float) -> int:
    return min(max(bisect_right(list(edges), value) - 1, 0), len(edges) - 2)


def _shares(counts: Sequence[int]) -> list[float]:
    total = sum(counts) or 1
    return [100.0 * c / total for c in counts]


def _position(data: dict[str, Any], language: str) -> str:
    value = data.get("applicant_value")
    if value is None:
        return t("dist_no_value", language)
    edges, index = data["edges"], _bin_of(data["edges"], float(value))
    clients = data["repaid"][index] + data["defaulted"][index]
    rate = data["defaulted"][index] / clients if clients else None
    return t("dist_position", language, value=fmt(float(value), language),
             interval=_interval(edges, index, language), rate=percent(rate, language))


def distribution_view(data: dict[str, Any], title: str, language: str) -> tuple[PlotData, str]:
    """(the chart, the HTML: summary and a table of counts per interval)."""
    name = feature_label(data["feature"], language, data.get("label"))
    edges, repaid, defaulted = data["edges"], data["repaid"], data["defaulted"]
    centres = [(edges[i] + edges[i + 1]) / 2 for i in range(len(edges) - 1)]
    labels = {"repaid": t("repaid", language), "defaulted": t("defaulted", language),
              "applicant": t("this_applicant", language), "title": f"{title}: {name}",
              "x": name, "y": t("axis_clients", language)}
    value = data.get("applicant_value")
    figure = distribution_figure(centres, _shares(repaid), _shares(defaulted),
                                 None if value is None else float(value), labels)
    rows = []
    for index in range(len(centres)):
        clients = repaid[index] + defaulted[index]
        rate = percent(defaulted[index] / clients, language) if clients else "—"
        rows.append([_interval(edges, index, language), number(repaid[index], 0, language),
                     number(defaulted[index], 0, language), rate])
    summary = t("dist_summary", language, title=title, feature=name,
                repaid=number(sum(repaid), 0, language),
                defaulted=number(sum(defaulted), 0, language), position=_position(data, language))
    table = html_table(t("dist_caption", language, title=title, feature=name),
                       [t("col_interval", language), t("repaid", language),
                        t("defaulted", language), t("col_default_rate", language)], rows)
    note = paragraph(str(data["description"]), "ui-small") if data.get("description") else ""
    return plot_data(figure), (f"{paragraph(summary, 'ui-summary')}{note}<details>"
                               f"<summary>{escape(t('dist_caption', language, title=title, feature=name))}"
                               f"</summary>{table}</details>")


def _share_below(values: list[float], value: float) -> float:
    return sum(1 for v in values if v < value) / len(values) if values else 0.0


def _quarters(points: list[dict[str, Any]], x_name: str, language: str) -> list[list[str]]:
    ordered = sorted(points, key=lambda p: p["x"])
    size = len(ordered)
    rows = []
    for quarter in range(4):
        chunk = ordered[quarter * size // 4:(quarter + 1) * size // 4]
        if not chunk:
            continue
        rate = sum(p.get("target", 0) for p in chunk) / len(chunk)
        span = f"{fmt(chunk[0]['x'], language)} – {fmt(chunk[-1]['x'], language)}"
        rows.append([f"{quarter + 1} ({span})", number(len(chunk), 0, language),
                     percent(rate, language)])
    return rows


def scatter_view(data: dict[str, Any], applicant: tuple[float, float] | None, by_score: bool,
                 language: str) -> tuple[PlotData, str]:
    """(the scatter, the HTML: a summary with the applicant's position and a table by quarter)."""
    x_name = feature_label(data["x"], language, data.get("x_label"))
    y_name = feature_label(data["y"], language, data.get("y_label"))
    points = [p for p in data.get("points", []) if p.get("x") is not None
              and p.get("y") is not None]
    labels = {"repaid": t("repaid", language), "defaulted": t("defaulted", language),
              "applicant": t("this_applicant", language), "score": t("colour_score", language),
              "title": t("scatter_title", language, x=x_name, y=y_name), "x": x_name, "y": y_name}
    figure = scatter_figure(points, applicant, by_score, labels)
    defaulted = sum(1 for p in points if p.get("target") == 1)
    if applicant is None:
        position = t("scatter_no_applicant", language)
    else:
        position = t("scatter_position", language, x=x_name, y=y_name,
                     x_value=fmt(applicant[0], language), y_value=fmt(applicant[1], language),
                     x_share=percent(_share_below([p["x"] for p in points], applicant[0]),
                                     language, 0),
                     y_share=percent(_share_below([p["y"] for p in points], applicant[1]),
                                     language, 0))
    summary = t("scatter_summary", language, count=number(len(points), 0, language),
                repaid=number(len(points) - defaulted, 0, language),
                defaulted=number(defaulted, 0, language), x=x_name, y=y_name, position=position)
    table = html_table(t("scatter_caption", language, x=x_name),
                       [t("col_quarter", language, x=x_name), t("col_clients", language),
                        t("col_default_rate", language)], _quarters(points, x_name, language))
    return plot_data(figure), paragraph(summary, "ui-summary") + table
