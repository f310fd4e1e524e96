"""The dashboard's layout (Gradio Blocks): what is where, with ids for tests and labels in
English until the advisor's language is applied at load.

Choices are radio groups (a fieldset of native radio inputs: arrow keys, announced by screen
readers), never Gradio's dropdowns. Every chart (``gr.Plot``) sits next to an HTML block that
holds its text alternative: a summary and a table with the same numbers.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ui_service.form import FORM_FIELDS, WHATIF_FIELDS, FormField, field_label
from ui_service.i18n import level_label, t

__all__ = ["Widgets", "build_layout"]

_EN = "en"


class Widgets:
    """The page's components, by role (filled by ``build_layout``)."""

    def __init__(self) -> None:
        self.states: dict[str, gr.State] = {}
        self.texts: dict[str, Any] = {}  # component -> catalogue key of its label/value
        self.whatif: dict[str, Any] = {}
        self.new: dict[str, Any] = {}


def _html(elem_id: str, value: str = "") -> gr.HTML:
    return gr.HTML(value, elem_id=elem_id, js_on_load=None, padding=False)


def _plot(elem_id: str) -> gr.Plot:
    """A chart, hidden until it has something to draw."""
    return gr.Plot(elem_id=elem_id, show_label=False, visible=False)


def _heading(w: Widgets, key: str, level: int = 2) -> gr.HTML:
    component = _html(f"h-{key}", f"<h{level}>{t(key, _EN)}</h{level}>")
    w.texts[component] = ("heading", key, level)
    return component


def choice_options(form_field: FormField, language: str) -> list[tuple[str, str]]:
    """A categorical field's levels as (label, value) radio choices."""
    if form_field.levels == ("N", "Y") or form_field.levels == ("Y", "N"):
        return [(t("yes", language), "Y"), (t("no", language), "N")]
    return [(level_label(level, language), level) for level in form_field.levels]


def _field(form_field: FormField, prefix: str) -> Any:
    label = field_label(form_field, _EN)
    elem_id = f"{prefix}-{form_field.key.lower().replace('_', '-')}"
    if form_field.kind == "choice":
        return gr.Radio(choice_options(form_field, _EN), label=label, elem_id=elem_id)
    # A textbox, not gr.Number: an empty field must stay empty (missing), and French decimals
    # are typed with a comma.
    return gr.Textbox("", label=label, elem_id=elem_id, max_lines=1)


def _chooser(w: Widgets) -> None:
    _heading(w, "choose_heading")
    w.split = gr.Radio([(t("split_test", _EN), "test"), (t("split_train", _EN), "train")],
                       value="test", label=t("split_label", _EN), elem_id="split")
    w.search = gr.Textbox(label=t("search_label", _EN), elem_id="search", max_lines=1,
                          autofocus=False)
    w.results = gr.Radio([], label=t("results_label", _EN), elem_id="results")
    w.search_status = _html("search-status")
    w.open = gr.Button(t("open_button", _EN), variant="primary", elem_id="open")


def _decision(w: Widgets) -> None:
    _heading(w, "decision_heading")
    w.decision = _html("decision", f"<p>{t('decision_none', _EN)}</p>")


def _reasons_tab(w: Widgets) -> None:
    _heading(w, "reasons_heading", 3)
    w.reasons_plot = gr.Plot(label=t("reasons_chart_title", _EN), elem_id="reasons-chart",
                             show_label=False, visible=False)
    w.reasons = _html("reasons", f"<p>{t('reasons_pending', _EN)}</p>")


def _population_tab(w: Widgets) -> None:
    w.feature = gr.Radio([], label=t("feature_label", _EN), elem_id="feature")
    w.population_help = _html("population-help", f"<p>{t('population_help', _EN)}</p>")
    w.texts[w.population_help] = ("paragraph", "population_help", 0)
    with gr.Row():
        with gr.Column():
            w.dist_all_plot = _plot("dist-all-chart")
            w.dist_all = _html("dist-all", f"<p>{t('population_pending', _EN)}</p>")
        with gr.Column():
            w.dist_similar_plot = _plot("dist-similar-chart")
            w.dist_similar = _html("dist-similar")
    _heading(w, "scatter_heading", 3)
    with gr.Row():
        w.scatter_x = gr.Radio([], label=t("scatter_x", _EN), elem_id="scatter-x")
        w.scatter_y = gr.Radio([], label=t("scatter_y", _EN), elem_id="scatter-y")
        w.colour = gr.Radio([(t("colour_outcome", _EN), "outcome"),
                             (t("colour_score", _EN), "score")], value="outcome",
                            label=t("colour_by", _EN), elem_id="colour")
    w.scatter_plot = _plot("scatter-chart")
    w.scatter = _html("scatter")


def _whatif_tab(w: Widgets) -> None:
    w.whatif_intro = _html("whatif-intro", f"<p>{t('whatif_intro', _EN)}</p>")
    w.texts[w.whatif_intro] = ("paragraph", "whatif_intro", 0)
    with gr.Row():
        for form_field in WHATIF_FIELDS:
            w.whatif[form_field.key] = _field(form_field, "whatif")
    w.whatif_errors = _html("whatif-errors")
    w.whatif_button = gr.Button(t("whatif_button", _EN), variant="primary", elem_id="recompute")
    w.whatif_result = _html("whatif-result", f"<p>{t('whatif_pending', _EN)}</p>")
    w.whatif_plot = _plot("whatif-chart")
    w.whatif_reasons = _html("whatif-reasons")
    _heading(w, "counterfactual_heading", 3)
    w.counterfactual = _html("counterfactual")
    w.cf_apply = gr.Button(t("cf_apply", _EN), elem_id="cf-apply", visible=False)


def _record_tab(w: Widgets) -> None:
    w.record_intro = _html("record-intro", f"<p>{t('record_intro', _EN)}</p>")
    w.texts[w.record_intro] = ("paragraph", "record_intro", 0)
    w.record_model = _html("record-model")
    w.final = gr.Radio([(t("final_approve", _EN), "approved"),
                        (t("final_refuse", _EN), "refused")], label=t("final_label", _EN),
                       elem_id="final")
    w.comment = gr.Textbox(label=t("comment_label", _EN), lines=3, elem_id="comment")
    w.record = gr.Button(t("record_button", _EN), variant="primary", elem_id="record")
    w.record_result = _html("record-result")


def _new_tab(w: Widgets) -> None:
    w.new_intro = _html("new-intro", f"<p>{t('new_intro', _EN)}</p>")
    w.texts[w.new_intro] = ("paragraph", "new_intro", 0)
    with gr.Row():
        for form_field in FORM_FIELDS:
            w.new[form_field.key] = _field(form_field, "new")
    w.new_errors = _html("new-errors")
    w.new_button = gr.Button(t("new_button", _EN), variant="primary", elem_id="score-new")


def build_layout(w: Widgets) -> None:
    """Create every component inside the current ``gr.Blocks`` context."""
    with gr.Row(elem_classes="ui-header"):
        w.header = _html("header")
        w.language = gr.Radio([("English", "en"), ("Français", "fr")], value="en",
                              label=t("language_label", _EN), elem_id="language", scale=0,
                              min_width=220)
    w.monitoring = _html("monitoring")
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            _chooser(w)
        with gr.Column(scale=2, min_width=360):
            _decision(w)
    with gr.Tabs(elem_id="tabs"):
        w.tab_reasons = gr.Tab(t("tab_reasons", _EN), elem_id="tab-reasons")
        with w.tab_reasons:
            _reasons_tab(w)
        w.tab_population = gr.Tab(t("tab_population", _EN), elem_id="tab-population")
        with w.tab_population:
            _population_tab(w)
        w.tab_whatif = gr.Tab(t("tab_whatif", _EN), elem_id="tab-whatif")
        with w.tab_whatif:
            _whatif_tab(w)
        w.tab_record = gr.Tab(t("tab_record", _EN), elem_id="tab-record")
        with w.tab_record:
            _record_tab(w)
        w.tab_new = gr.Tab(t("tab_new", _EN), elem_id="tab-new")
        with w.tab_new:
            _new_tab(w)
    for name in ("context", "population", "scatter", "whatif", "counterfactual", "review",
                 "found", "monitoring", "features"):
        w.states[name] = gr.State(None)
