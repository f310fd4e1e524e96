"""The dashboard's layout (Gradio Blocks): what is where on the page, with ids for the tests
and labels in English until the advisor's language is applied at load.

Choices are radio groups (a fieldset of native radio inputs: arrow keys, announced by screen
readers), never Gradio's dropdowns. Every chart (``gr.Plot``) sits next to an HTML block that
holds its text alternative: a summary and a table with the same numbers.
"""

from __future__ import annotations

import gradio as gr

from ui_service.form import FORM_FIELDS, WHATIF_FIELDS, FormField, field_label
from ui_service.i18n import level_label, t
from ui_service.layout.widgets import (
    Chooser,
    Field,
    FixedText,
    NewTab,
    PopulationTab,
    ReasonsTab,
    RecordTab,
    States,
    Tabs,
    Top,
    WhatIfTab,
    Widgets,
)

__all__ = ["build_layout", "choice_options", "colour_choices", "final_choices", "split_choices"]

_EN = "en"


def _html(elem_id: str, value: str = "") -> gr.HTML:
    return gr.HTML(value, elem_id=elem_id, js_on_load=None, padding=False)


def _plot(elem_id: str) -> gr.Plot:
    """A chart, hidden until it has something to draw."""
    return gr.Plot(elem_id=elem_id, show_label=False, visible=False)


def _fixed(texts: dict[gr.HTML, FixedText], elem_id: str, key: str) -> gr.HTML:
    """A paragraph that only changes with the language."""
    component = _html(elem_id, f"<p>{t(key, _EN)}</p>")
    texts[component] = FixedText("paragraph", key, 0)
    return component


def _heading(texts: dict[gr.HTML, FixedText], key: str, level: int = 2) -> gr.HTML:
    component = _html(f"h-{key}", f"<h{level}>{t(key, _EN)}</h{level}>")
    texts[component] = FixedText("heading", key, level)
    return component


def choice_options(form_field: FormField, language: str) -> list[tuple[str, str]]:
    """A categorical field's levels as (label, value) radio choices."""
    if form_field.levels == ("N", "Y") or form_field.levels == ("Y", "N"):
        return [(t("yes", language), "Y"), (t("no", language), "N")]
    return [(level_label(level, language), level) for level in form_field.levels]


def split_choices(language: str) -> list[tuple[str, str]]:
    """Which applicants to list: those to decide (test) or past ones (train)."""
    return [(t("split_test", language), "test"), (t("split_train", language), "train")]


def colour_choices(language: str) -> list[tuple[str, str]]:
    """What colours the scatter plot's points."""
    return [(t("colour_outcome", language), "outcome"), (t("colour_score", language), "score")]


def final_choices(language: str) -> list[tuple[str, str]]:
    """The advisor's final decision."""
    return [(t("final_approve", language), "approved"), (t("final_refuse", language), "refused")]


def _field(form_field: FormField, prefix: str) -> Field:
    label = field_label(form_field, _EN)
    elem_id = f"{prefix}-{form_field.key.lower().replace('_', '-')}"
    if form_field.kind == "choice":
        return gr.Radio(choice_options(form_field, _EN), label=label, elem_id=elem_id)
    # A textbox, not gr.Number: an empty field must stay empty (missing), and French decimals
    # are typed with a comma.
    return gr.Textbox("", label=label, elem_id=elem_id, max_lines=1)


def _top() -> Top:
    with gr.Row(elem_classes="ui-header"):
        header = _html("header")
        language = gr.Radio([("English", "en"), ("Français", "fr")], value="en",
                            label=t("language_label", _EN), elem_id="language", scale=0,
                            min_width=220)
    return Top(header=header, language=language, monitoring=_html("monitoring"))


def _chooser(texts: dict[gr.HTML, FixedText]) -> Chooser:
    _heading(texts, "choose_heading")
    return Chooser(
        split=gr.Radio(split_choices(_EN), value="test", label=t("split_label", _EN),
                       elem_id="split"),
        search=gr.Textbox(label=t("search_label", _EN), elem_id="search", max_lines=1,
                          autofocus=False),
        results=gr.Radio([], label=t("results_label", _EN), elem_id="results"),
        status=_html("search-status"),
        open=gr.Button(t("open_button", _EN), variant="primary", elem_id="open"))


def _decision(texts: dict[gr.HTML, FixedText]) -> gr.HTML:
    _heading(texts, "decision_heading")
    return _html("decision", f"<p>{t('decision_none', _EN)}</p>")


def _reasons_tab(texts: dict[gr.HTML, FixedText]) -> ReasonsTab:
    _heading(texts, "reasons_heading", 3)
    plot = gr.Plot(label=t("reasons_chart_title", _EN), elem_id="reasons-chart",
                   show_label=False, visible=False)
    return ReasonsTab(plot=plot, text=_html("reasons", f"<p>{t('reasons_pending', _EN)}</p>"))


def _population_tab(texts: dict[gr.HTML, FixedText]) -> PopulationTab:
    feature = gr.Radio([], label=t("feature_label", _EN), elem_id="feature")
    help_text = _fixed(texts, "population-help", "population_help")
    with gr.Row():
        with gr.Column():
            all_plot = _plot("dist-all-chart")
            all_text = _html("dist-all", f"<p>{t('population_pending', _EN)}</p>")
        with gr.Column():
            similar_plot = _plot("dist-similar-chart")
            similar_text = _html("dist-similar")
    _heading(texts, "scatter_heading", 3)
    with gr.Row():
        scatter_x = gr.Radio([], label=t("scatter_x", _EN), elem_id="scatter-x")
        scatter_y = gr.Radio([], label=t("scatter_y", _EN), elem_id="scatter-y")
        colour = gr.Radio(colour_choices(_EN), value="outcome", label=t("colour_by", _EN),
                          elem_id="colour")
    return PopulationTab(
        feature=feature, help=help_text, all_plot=all_plot, all_text=all_text,
        similar_plot=similar_plot, similar_text=similar_text, scatter_x=scatter_x,
        scatter_y=scatter_y, colour=colour, scatter_plot=_plot("scatter-chart"),
        scatter_text=_html("scatter"))


def _whatif_tab(texts: dict[gr.HTML, FixedText]) -> WhatIfTab:
    intro = _fixed(texts, "whatif-intro", "whatif_intro")
    with gr.Row():
        inputs = {form_field.key: _field(form_field, "whatif") for form_field in WHATIF_FIELDS}
    errors = _html("whatif-errors")
    button = gr.Button(t("whatif_button", _EN), variant="primary", elem_id="recompute")
    result = _html("whatif-result", f"<p>{t('whatif_pending', _EN)}</p>")
    plot = _plot("whatif-chart")
    reasons = _html("whatif-reasons")
    _heading(texts, "counterfactual_heading", 3)
    return WhatIfTab(
        intro=intro, fields=inputs, errors=errors, button=button, result=result, plot=plot,
        reasons=reasons, counterfactual=_html("counterfactual"),
        apply=gr.Button(t("cf_apply", _EN), elem_id="cf-apply", visible=False))


def _record_tab(texts: dict[gr.HTML, FixedText]) -> RecordTab:
    return RecordTab(
        intro=_fixed(texts, "record-intro", "record_intro"),
        model=_html("record-model"),
        final=gr.Radio(final_choices(_EN), label=t("final_label", _EN), elem_id="final"),
        comment=gr.Textbox(label=t("comment_label", _EN), lines=3, elem_id="comment"),
        button=gr.Button(t("record_button", _EN), variant="primary", elem_id="record"),
        result=_html("record-result"))


def _new_tab(texts: dict[gr.HTML, FixedText]) -> NewTab:
    intro = _fixed(texts, "new-intro", "new_intro")
    with gr.Row():
        inputs = {form_field.key: _field(form_field, "new") for form_field in FORM_FIELDS}
    return NewTab(
        intro=intro, fields=inputs, errors=_html("new-errors"),
        button=gr.Button(t("new_button", _EN), variant="primary", elem_id="score-new"))


def build_layout() -> Widgets:
    """Create every component inside the current ``gr.Blocks`` context, in page order."""
    texts: dict[gr.HTML, FixedText] = {}
    top = _top()
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            chooser = _chooser(texts)
        with gr.Column(scale=2, min_width=360):
            decision = _decision(texts)
    with gr.Tabs(elem_id="tabs"):
        with gr.Tab(t("tab_reasons", _EN), elem_id="tab-reasons") as tab_reasons:
            reasons = _reasons_tab(texts)
        with gr.Tab(t("tab_population", _EN), elem_id="tab-population") as tab_population:
            population = _population_tab(texts)
        with gr.Tab(t("tab_whatif", _EN), elem_id="tab-whatif") as tab_whatif:
            whatif = _whatif_tab(texts)
        with gr.Tab(t("tab_record", _EN), elem_id="tab-record") as tab_record:
            record = _record_tab(texts)
        with gr.Tab(t("tab_new", _EN), elem_id="tab-new") as tab_new:
            new = _new_tab(texts)
    tabs = Tabs(reasons=tab_reasons, population=tab_population, whatif=tab_whatif,
                record=tab_record, new=tab_new)
    states = States(**{name: gr.State(None) for name in (
        "context", "population", "scatter", "whatif", "counterfactual", "review", "found",
        "monitoring", "features")})
    return Widgets(top=top, chooser=chooser, decision=decision, tabs=tabs, reasons=reasons,
                   population=population, whatif=whatif, record=record, new=new,
                   states=states, texts=texts)
