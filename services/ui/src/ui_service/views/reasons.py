"""The reasons: a bar chart of the main factors, the same numbers in a table, the sentences.

Everything is read from the explanation service's answer (``reasons.toward_refusal`` and
``reasons.toward_approval``: label, contribution, the applicant's value, sentences in both
languages), so the wording of the reasons is defined once, in that service.
"""

from __future__ import annotations

from html import escape
from typing import Any

from gradio.components.plot import PlotData

from ui_service.i18n import number, t
from ui_service.views.charts import bars_figure, plot_data
from ui_service.views.tables import html_list, html_table, message, paragraph

__all__ = ["reason_rows", "reasons_view"]


def _label(item: dict[str, Any], language: str) -> str:
    return str(item.get("label_fr") if language == "fr" and item.get("label_fr")
               else item.get("label", item.get("key", "?")))


def _value(item: dict[str, Any], language: str) -> str:
    main = item.get("main") or {}
    shown = (main.get("display") or {}).get(language)
    if shown is None:
        shown = number(main.get("value"), 2, language)
    if item.get("grouped"):
        return f"{_label(main, language)}: {shown}" if language == "en" else \
            f"{_label(main, language)} : {shown}"
    return str(shown)


def reason_rows(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    """The reasons toward refusal then toward approval, strongest first in each."""
    reasons = explanation.get("reasons") or {}
    return [*reasons.get("toward_refusal", []), *reasons.get("toward_approval", [])]


def _sentences(explanation: dict[str, Any], language: str) -> str:
    reasons = explanation.get("reasons") or {}
    parts = []
    for direction, heading in (("toward_refusal", "sentences_refusal"),
                               ("toward_approval", "sentences_approval")):
        texts = [str((item.get("text") or {}).get(language, "")) for item in
                 reasons.get(direction, [])]
        parts.append(html_list([x for x in texts if x] or [t("none", language)],
                               t(heading, language), level=3))
    return f'<div class="ui-sentences">{"".join(parts)}</div>'


def _summary(rows: list[dict[str, Any]], language: str) -> str:
    def listing(direction: str) -> str:
        items = [f"{_label(r, language)} ({r['contribution']:+.2f})" for r in rows
                 if r.get("direction") == direction]
        return "; ".join(items) or t("none", language)

    return t("reasons_summary", language, count=len(rows), refusal=listing("toward_refusal"),
             approval=listing("toward_approval"))


def reasons_view(explanation: dict[str, Any] | None, problems: dict[str, str],
                 language: str) -> tuple[PlotData | None, str]:
    """(the chart or None, the HTML: summary, table and sentences, or why they are missing)."""
    if problems.get("explain"):
        return None, message(t("explain_down", language), "warning")
    if not explanation:
        return None, message(t("reasons_pending", language))
    rows = reason_rows(explanation)
    labels = [_label(r, language) for r in rows]
    values = [float(r["contribution"]) for r in rows]
    figure = bars_figure(labels, values, t("reasons_chart_title", language),
                         t("reasons_axis", language),
                         (t("toward_refusal", language), t("toward_approval", language)))
    table = html_table(
        t("reasons_caption", language),
        [t("col_factor", language), t("col_effect", language), t("col_contribution", language),
         t("col_value", language)],
        [[label, t("effect_refusal" if value > 0 else "effect_approval", language),
          number(value, 2, language) if value <= 0 else "+" + number(value, 2, language),
          _value(row, language)] for label, value, row in zip(labels, values, rows, strict=True)],
        table_id="reasons-table")
    summary = paragraph(_summary(rows, language), "ui-summary")
    return plot_data(figure), f'<div id="reasons-summary">{summary}</div>{table}' + \
        _sentences(explanation, language) + _reference_note(explanation, language)


def _reference_note(explanation: dict[str, Any], language: str) -> str:
    """Why comparisons with approved clients are missing, if they are."""
    note = (explanation.get("reference") or {}).get("note")
    if not note:
        return ""
    text = note.get(language, "") if isinstance(note, dict) else str(note)
    return f'<p class="ui-small">{escape(text)}</p>'
