"""The decision panel: the gauge, the decision in words with an icon, the percentile, the model.

The gauge is an inline SVG (no chart library needed for the first thing the advisor sees): a
horizontal scale of the probability of default with the approval and refusal zones, the
threshold and the applicant's probability marked and labelled. It carries its own text
alternative (``role="img"`` with a title and a description); the same facts are in words below.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from ui_service.i18n import moment, percent, t
from ui_service.views.palette import APPLICANT, APPROVAL, BACKGROUND, REFUSAL, TEXT
from ui_service.views.tables import message

__all__ = ["ICONS", "decision_html", "decision_words", "gauge_maximum", "gauge_svg",
           "problem_messages"]

ICONS = {"approved": "✅", "refused": "⛔"}
_WIDTH, _LEFT, _RIGHT = 480, 20, 460


def decision_words(decision: str, language: str) -> str:
    """'✅ Approved' / '⛔ Refusée': the icon and the word, never colour alone."""
    return f"{ICONS[decision]} {t(decision, language)}"


def gauge_maximum(probability: float, threshold: float) -> float:
    """The end of the scale: room for both marks, rounded up to a tenth (at most 100%)."""
    top = max(probability * 1.15, threshold * 2, 0.2)
    return min(1.0, math.ceil(top * 10 - 1e-9) / 10)


def _x(value: float, maximum: float) -> float:
    return _LEFT + (_RIGHT - _LEFT) * min(value, maximum) / maximum


def gauge_svg(probability: float, threshold: float, decision: str, language: str) -> str:
    """The gauge as an accessible inline SVG."""
    maximum = gauge_maximum(probability, threshold)
    cut, mark = _x(threshold, maximum), _x(probability, maximum)
    title = t("gauge_title", language)
    desc = t("gauge_desc", language, maximum=percent(maximum, language, 0),
             probability=percent(probability, language), threshold=percent(threshold, language),
             decision=t(decision, language))
    ticks = "".join(
        f'<text x="{_x(maximum * i / 4, maximum):.1f}" y="96" text-anchor="middle" '
        f'font-size="12" fill="{TEXT}">{escape(percent(maximum * i / 4, language, 0))}</text>'
        for i in range(5))
    return (
        f'<svg class="ui-gauge" viewBox="0 0 {_WIDTH} 104" role="img" '
        f'aria-labelledby="gauge-title gauge-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="gauge-title">{escape(title)}</title><desc id="gauge-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{_WIDTH}" height="104" fill="{BACKGROUND}"/>'
        f'<rect x="{_LEFT}" y="40" width="{cut - _LEFT:.1f}" height="22" fill="{APPROVAL}"/>'
        f'<rect x="{cut:.1f}" y="40" width="{_RIGHT - cut:.1f}" height="22" fill="{REFUSAL}" '
        f'fill-opacity="1"/>'
        f'<text x="{(_LEFT + cut) / 2:.1f}" y="56" text-anchor="middle" font-size="12" '
        f'fill="#FFFFFF">{escape(t("gauge_approve", language))}</text>'
        f'<text x="{(cut + _RIGHT) / 2:.1f}" y="56" text-anchor="middle" font-size="12" '
        f'fill="#FFFFFF">{escape(t("gauge_refuse", language))}</text>'
        f'<line x1="{cut:.1f}" x2="{cut:.1f}" y1="34" y2="70" stroke="{TEXT}" stroke-width="2" '
        f'stroke-dasharray="4 2"/>'
        f'<text x="{cut:.1f}" y="82" text-anchor="middle" font-size="12" fill="{TEXT}">'
        f'{escape(t("gauge_threshold", language, threshold=percent(threshold, language)))}</text>'
        f'<path d="M{mark - 8:.1f},14 L{mark + 8:.1f},14 L{mark:.1f},34 Z" fill="{APPLICANT}"/>'
        f'<text x="{mark:.1f}" y="11" text-anchor="middle" font-size="13" font-weight="bold" '
        f'fill="{TEXT}">{escape(percent(probability, language))}</text>'
        f"{ticks}</svg>"
    )


def problem_messages(problems: dict[str, str], language: str) -> list[str]:
    """The notices for what is missing (explanations, percentile), as HTML paragraphs."""
    out = []
    if problems.get("explain"):
        out.append(message(t("explain_down", language), "warning"))
    if problems.get("percentile"):
        out.append(message(t("percentile_down", language), "warning"))
    return out


def _subject(context: dict[str, Any], language: str) -> str:
    if context.get("kind") == "client":
        return t("applicant_known", language, id=context.get("client_id"))
    return t("applicant_new", language)


def decision_html(context: dict[str, Any] | None, language: str) -> str:
    """The whole decision panel for a context built by ``flows``."""
    if not context:
        return message(t("decision_none", language))
    problems = context.get("problems", {})
    score = context.get("score")
    if score is None:
        return _failure(context, problems, language)
    probability, threshold = score["probability"], score["threshold"]
    decision = score["decision"]
    relation = t("relation_above" if decision == "refused" else "relation_below", language)
    odds = t("probability_line", language, probability=percent(probability, language),
             threshold=percent(threshold, language), relation=relation)
    lines = [
        f'<p class="ui-subject">{escape(_subject(context, language))}</p>',
        f'<p class="ui-decision ui-{escape(decision)}" id="decision-text">'
        f"<strong>{escape(decision_words(decision, language))}</strong></p>",
        f"<p>{escape(odds)}</p>",
    ]
    rank = context.get("percentile")
    if rank:
        share = percent(rank["percentile"] / 100, language, 0)
        text = t("percentile_line", language, percentile=share,
                 population=t("population_all", language))
        lines.append(f"<p>{escape(text)}</p>")
    model = score.get("model", {})
    text = t("model_line", language, name=model.get("name", "?"),
             version=model.get("version", "?"), when=moment(score.get("scored_at"), language))
    lines.append(f'<p class="ui-small">{escape(text)}</p>')
    lines.extend(problem_messages(problems, language))
    lines.extend(_version_note(context, language))
    return gauge_svg(probability, threshold, decision, language) + "".join(lines)


def _version_note(context: dict[str, Any], language: str) -> list[str]:
    explanation, score = context.get("explanation"), context.get("score") or {}
    if not explanation:
        return []
    explained = str(explanation.get("model", {}).get("version"))
    scored = str(score.get("model", {}).get("version"))
    if explained == scored:
        return []
    return [message(t("version_mismatch", language, explained=explained, scored=scored))]


def _failure(context: dict[str, Any], problems: dict[str, str], language: str) -> str:
    scoring = problems.get("scoring", "down")
    if scoring == "not_found":
        return message(t("not_found", language, id=context.get("client_id")), "error")
    if scoring == "invalid_id":
        return message(t("invalid_id", language, query=context.get("query", "")), "error")
    if scoring == "key":
        return message(t("scoring_key", language), "error")
    if scoring == "choose":
        return message(t("choose_first", language), "error")
    return message(t("scoring_down", language), "error")
