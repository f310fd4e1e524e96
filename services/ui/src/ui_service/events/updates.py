"""From contexts to Gradio updates: each part of the page rendered in one language.

The views (``ui_service.views``) make the HTML and figures; this module only says which
component receives what, so that opening an applicant and switching language share one path.
"""

from __future__ import annotations

from html import escape
from typing import Any

import gradio as gr

from ui_service.form import FORM_FIELDS, WHATIF_FIELDS, field_label
from ui_service.i18n import feature_label, t
from ui_service.layout.build import (
    choice_options,
    colour_choices,
    final_choices,
    split_choices,
)
from ui_service.layout.widgets import Updates, Widgets
from ui_service.views.decision import decision_html, decision_words
from ui_service.views.panels import (
    client_choices,
    counterfactual_html,
    monitoring_html,
    review_html,
    search_status,
    whatif_html,
)
from ui_service.views.population import distribution_view, scatter_view
from ui_service.views.reasons import reasons_view
from ui_service.views.tables import message

__all__ = ["applicant", "counterfactual", "header", "labels", "monitoring", "population", "review",
           "scatter", "search", "whatif"]

def shown(plot: Any) -> Any:
    """A plot update: hidden while there is nothing to draw (no empty placeholder)."""
    return gr.update(value=plot, visible=plot is not None)


def header(user: str | None, role: str | None, language: str) -> str:
    """The title, who is signed in and the sign-out button (a plain POST form)."""
    shown_role = t(f"role_{role}", language) if role in ("advisor", "admin") else (role or "?")
    who = escape(t("signed_in_as", language, user=user or "?", role=shown_role))
    return (f'<h1>{escape(t("app_title", language))}</h1><p>{who} '
            f'<form method="post" action="/logout"><button type="submit" id="sign-out">'
            f'{escape(t("sign_out", language))}</button></form></p>')


def applicant(w: Widgets, context: dict[str, Any] | None, language: str) -> Updates:
    """The decision panel, the reasons and the model's decision in the record tab."""
    context = context or {}
    plot, html = reasons_view(context.get("explanation"), context.get("problems", {}), language)
    if context.get("score") is None and context:
        plot, html = None, ""
    score = context.get("score")
    model_line = (message(t("record_model", language,
                            decision=decision_words(score["decision"], language)))
                  if score else message(t("record_none", language)))
    return {w.decision: decision_html(context or None, language), w.reasons.plot: shown(plot),
            w.reasons.text: html, w.record.model: model_line}


def feature_choices(features: list[tuple[str, str]] | None,
                    language: str) -> list[tuple[str, str]]:
    return [(feature_label(name, language, english), name) for name, english in features or []]


def population(w: Widgets, data: dict[str, Any] | None, features: list[tuple[str, str]] | None,
               language: str) -> Updates:
    """The feature radio and the two distributions (all clients, similar clients)."""
    p, choices = w.population, feature_choices(features, language)
    updates: Updates = {p.feature: gr.update(choices=choices, value=(data or {}).get("feature"),
                                             label=t("feature_label", language))}
    if not data:
        pending = message(t("population_pending", language))
        return {**updates, p.all_plot: shown(None), p.all_text: pending,
                p.similar_plot: shown(None), p.similar_text: ""}
    if data.get("problem"):
        down = message(t("population_down", language), "warning")
        return {**updates, p.all_plot: shown(None), p.all_text: down,
                p.similar_plot: shown(None), p.similar_text: ""}
    for key, plot, html, title in (("all", p.all_plot, p.all_text, "dist_all"),
                                   ("similar", p.similar_plot, p.similar_text, "dist_similar")):
        figure, text = (distribution_view(data[key], t(title, language), language)
                        if data.get(key) else (None, ""))
        updates[plot], updates[html] = shown(figure), text
    return updates


def scatter(w: Widgets, data: dict[str, Any] | None, context: dict[str, Any] | None,
            features: list[tuple[str, str]] | None, colour: str, language: str) -> Updates:
    """The scatter plot with its axis choices."""
    p, choices = w.population, feature_choices(features, language)
    updates: Updates = {
        p.scatter_x: gr.update(choices=choices, value=(data or {}).get("x"),
                               label=t("scatter_x", language)),
        p.scatter_y: gr.update(choices=choices, value=(data or {}).get("y"),
                               label=t("scatter_y", language))}
    if not data:
        return {**updates, p.scatter_plot: shown(None), p.scatter_text: ""}
    if data.get("problem"):
        return {**updates, p.scatter_plot: shown(None),
                p.scatter_text: message(t("population_down", language), "warning")}
    values = (context or {}).get("values") or {}
    x, y = values.get(data["x"]), values.get(data["y"])
    point = (float(x), float(y)) if x is not None and y is not None else None
    plot, html = scatter_view(data, point, colour == "score", language)
    return {**updates, p.scatter_plot: shown(plot), p.scatter_text: html}


def whatif(w: Widgets, result: dict[str, Any] | None, language: str) -> Updates:
    plot, html = (None, "")
    if result and result.get("score"):
        plot, html = reasons_view(result.get("explanation"), result.get("problems", {}),
                                  language)
    return {w.whatif.result: whatif_html(result, language), w.whatif.plot: shown(plot),
            w.whatif.reasons: html}


def counterfactual(w: Widgets, result: dict[str, Any] | None, language: str) -> Updates:
    usable = bool(result and result.get("status") == "found"
                  and (result.get("counterfactual") or {}).get("application"))
    return {w.whatif.counterfactual: counterfactual_html(result, language),
            w.whatif.apply: gr.update(visible=usable, value=t("cf_apply", language))}


def review(w: Widgets, result: dict[str, Any] | None, context: dict[str, Any] | None,
           language: str) -> Updates:
    model = ((context or {}).get("score") or {}).get("decision")
    return {w.record.result: review_html(result, model, language)}


def search(w: Widgets, found: dict[str, Any] | None, language: str,
           keep: str | None = None) -> Updates:
    found = found or {}
    choices = client_choices(found, language)
    value = keep if keep in {value for _, value in choices} else None
    return {w.chooser.results: gr.update(choices=choices, value=value,
                                         label=t("results_label", language)),
            w.chooser.status: search_status(found, language)}


def monitoring(w: Widgets, status: dict[str, Any] | None, language: str) -> Updates:
    return {w.top.monitoring: monitoring_html(status, language)}


def labels(w: Widgets, language: str) -> Updates:
    """Every label, button, tab and fixed text of the page in ``language``."""
    updates: Updates = {}
    for labelled, key in ((w.top.language, "language_label"), (w.chooser.search, "search_label"),
                          (w.chooser.results, "results_label"),
                          (w.population.feature, "feature_label"),
                          (w.population.scatter_x, "scatter_x"),
                          (w.population.scatter_y, "scatter_y"),
                          (w.record.comment, "comment_label"), (w.tabs.reasons, "tab_reasons"),
                          (w.tabs.population, "tab_population"), (w.tabs.whatif, "tab_whatif"),
                          (w.tabs.record, "tab_record"), (w.tabs.new, "tab_new")):
        updates[labelled] = gr.update(label=t(key, language))
    for button, key in ((w.chooser.open, "open_button"), (w.whatif.button, "whatif_button"),
                        (w.record.button, "record_button"), (w.new.button, "new_button")):
        updates[button] = gr.update(value=t(key, language))
    for radio, key, choices in ((w.chooser.split, "split_label", split_choices),
                                (w.population.colour, "colour_by", colour_choices),
                                (w.record.final, "final_label", final_choices)):
        updates[radio] = gr.update(label=t(key, language), choices=choices(language))
    for component, (kind, key, level) in w.texts.items():
        tag = f"h{level}" if kind == "heading" else "p"
        updates[component] = f"<{tag}>{escape(t(key, language))}</{tag}>"
    for fields, group in ((WHATIF_FIELDS, w.whatif.fields), (FORM_FIELDS, w.new.fields)):
        for form_field in fields:
            label = field_label(form_field, language)
            updates[group[form_field.key]] = (
                gr.update(label=label, choices=choice_options(form_field, language))
                if form_field.kind == "choice" else gr.update(label=label))
    return updates
