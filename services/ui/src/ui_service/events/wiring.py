"""The Blocks app: the page built by ``layout`` with the events of ``handlers`` attached.

Opening an applicant shows the decision and the reasons first (one event, the time the
advisor waits for); the distributions, the counterfactual and the scatter follow as chained
events, so they never delay the decision.
"""

from __future__ import annotations

import gradio as gr
from gradio.events import Dependency

from ui_service.api.flows import Flows
from ui_service.events.handlers import Handlers
from ui_service.form import FORM_FIELDS, WHATIF_FIELDS
from ui_service.layout.build import build_layout
from ui_service.layout.theme import LANGUAGE_JS
from ui_service.layout.widgets import Output, Widgets
from ui_service.session import Sessions

__all__ = ["build_blocks"]


def _follow_up(event: Dependency, h: Handlers, w: Widgets, outputs: list[Output]) -> None:
    """After an applicant is shown: distributions, then the suggestion, then the scatter."""
    s, p, language = w.states, w.population, w.top.language
    event.then(h.population, [s.context, p.feature, language], outputs,
               show_progress="hidden").then(
        h.counterfactual, [s.context, language], outputs, show_progress="hidden").then(
        h.scatter, [s.context, p.scatter_x, p.scatter_y, p.colour, s.features, language],
        outputs, show_progress="hidden")


def _wire_chooser(h: Handlers, w: Widgets, demo: gr.Blocks, outputs: list[Output]) -> None:
    """The page's load, the language switch, the search and opening an applicant."""
    s, c, language = w.states, w.chooser, w.top.language
    demo.load(h.load, None, outputs)
    language.input(
        h.relabel, [language, s.context, s.population, s.scatter, s.whatif, s.counterfactual,
                    s.review, s.found, s.monitoring, s.features, w.population.colour,
                    c.results], outputs, js=LANGUAGE_JS)
    for trigger in (c.search.input, c.split.input):
        trigger(h.search, [c.split, c.search, language], outputs, trigger_mode="always_last",
                show_progress="hidden")
    # Straight HTTP calls, not the queue: the decision is what the advisor waits for.
    opened = [c.results.input(h.open, [c.results, c.search, language], outputs,
                              trigger_mode="always_last", queue=False),
              c.open.click(h.open, [c.results, c.search, language], outputs, queue=False),
              c.search.submit(h.open_typed, [c.search, language], outputs, queue=False)]
    for event in opened:
        _follow_up(event, h, w, outputs)


def _wire_tabs(h: Handlers, w: Widgets, outputs: list[Output]) -> None:
    """The population charts, the what-if, the suggestion, the decision and a new applicant."""
    s, p, language = w.states, w.population, w.top.language
    p.feature.input(h.population, [s.context, p.feature, language], outputs,
                    trigger_mode="always_last")
    for axis in (p.scatter_x, p.scatter_y):
        axis.input(h.scatter, [s.context, p.scatter_x, p.scatter_y, p.colour, s.features,
                               language], outputs, trigger_mode="always_last")
    p.colour.input(h.recolour, [s.context, s.scatter, p.colour, s.features, language], outputs)
    whatif_inputs = [s.context, language, *[w.whatif.fields[f.key] for f in WHATIF_FIELDS]]
    w.whatif.button.click(h.what_if, whatif_inputs, outputs)
    for form_field in WHATIF_FIELDS:
        component = w.whatif.fields[form_field.key]
        if isinstance(component, gr.Textbox):
            component.submit(h.what_if, whatif_inputs, outputs)
    w.whatif.apply.click(h.apply_suggestion, [s.counterfactual, language], outputs).then(
        h.what_if, whatif_inputs, outputs)
    w.record.button.click(h.record, [s.context, w.record.final, w.record.comment, language],
                          outputs)
    scored = w.new.button.click(h.score_new,
                                [language, *[w.new.fields[f.key] for f in FORM_FIELDS]], outputs)
    _follow_up(scored, h, w, outputs)


def build_blocks(flows: Flows, sessions: Sessions, page_size: int) -> gr.Blocks:
    """The dashboard page (mounted by ``app.create_app``)."""
    with gr.Blocks(title="Credit decision dashboard", analytics_enabled=False) as demo:
        widgets = build_layout()
        # Every handler may update any component: Gradio needs them all declared.
        outputs = widgets.components()
        handlers = Handlers(widgets, flows, sessions, page_size)
        _wire_chooser(handlers, widgets, demo, outputs)
        _wire_tabs(handlers, widgets, outputs)
    # Advisors work at the same time: events of different sessions run in parallel.
    demo.queue(default_concurrency_limit=16)
    return demo
