"""The Blocks app: the layout of ``page`` with the events of ``handlers`` attached.

Opening an applicant shows the decision and the reasons first (one event, the time the
advisor waits for); the distributions, the counterfactual and the scatter follow as chained
events, so they never delay the decision.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ui_service.flows import Flows
from ui_service.form import FORM_FIELDS, WHATIF_FIELDS
from ui_service.handlers import Handlers
from ui_service.look import LANGUAGE_JS
from ui_service.page import Widgets, build_layout
from ui_service.session import Sessions

__all__ = ["build_blocks"]


def _all(w: Widgets) -> list[Any]:
    """Every component a handler may update (Gradio needs them declared)."""
    components = [value for name, value in vars(w).items()
                  if isinstance(value, gr.components.Component | gr.Tab)
                  and name not in ("states",)]
    components += list(w.states.values()) + list(w.texts) + list(w.whatif.values())
    components += list(w.new.values())
    unique: dict[int, Any] = {id(c): c for c in components}
    return list(unique.values())


def _follow_up(event: Any, h: Handlers, w: Widgets, outputs: list[Any]) -> None:
    """After an applicant is shown: distributions, then the suggestion, then the scatter."""
    s = w.states
    event.then(h.population, [s["context"], w.feature, w.language], outputs,
               show_progress="hidden").then(
        h.counterfactual, [s["context"], w.language], outputs, show_progress="hidden").then(
        h.scatter, [s["context"], w.scatter_x, w.scatter_y, w.colour, s["features"],
                    w.language], outputs, show_progress="hidden")


def _wire(h: Handlers, w: Widgets, demo: gr.Blocks) -> None:
    s, outputs = w.states, _all(w)
    demo.load(h.load, None, outputs)
    w.language.input(
        h.relabel, [w.language, s["context"], s["population"], s["scatter"], s["whatif"],
                    s["counterfactual"], s["review"], s["found"], s["monitoring"],
                    s["features"], w.colour, w.results], outputs, js=LANGUAGE_JS)
    for trigger in (w.search.input, w.split.input):
        trigger(h.search, [w.split, w.search, w.language], outputs, trigger_mode="always_last",
                show_progress="hidden")
    # Straight HTTP calls, not the queue: the decision is what the advisor waits for.
    opened = [w.results.input(h.open, [w.results, w.search, w.language], outputs,
                              trigger_mode="always_last", queue=False),
              w.open.click(h.open, [w.results, w.search, w.language], outputs, queue=False),
              w.search.submit(h.open_typed, [w.search, w.language], outputs, queue=False)]
    for event in opened:
        _follow_up(event, h, w, outputs)
    w.feature.input(h.population, [s["context"], w.feature, w.language], outputs,
                    trigger_mode="always_last")
    for axis in (w.scatter_x, w.scatter_y):
        axis.input(h.scatter, [s["context"], w.scatter_x, w.scatter_y, w.colour, s["features"],
                               w.language], outputs, trigger_mode="always_last")
    w.colour.input(h.recolour, [s["context"], s["scatter"], w.colour, s["features"],
                                w.language], outputs)
    whatif_inputs = [s["context"], w.language, *[w.whatif[f.key] for f in WHATIF_FIELDS]]
    w.whatif_button.click(h.what_if, whatif_inputs, outputs)
    for form_field in WHATIF_FIELDS:
        component = w.whatif[form_field.key]
        if isinstance(component, gr.Textbox):
            component.submit(h.what_if, whatif_inputs, outputs)
    w.cf_apply.click(h.apply_suggestion, [s["counterfactual"], w.language], outputs).then(
        h.what_if, whatif_inputs, outputs)
    w.record.click(h.record, [s["context"], w.final, w.comment, w.language], outputs)
    scored = w.new_button.click(h.score_new,
                                [w.language, *[w.new[f.key] for f in FORM_FIELDS]], outputs)
    _follow_up(scored, h, w, outputs)


def build_blocks(flows: Flows, sessions: Sessions, page_size: int) -> gr.Blocks:
    """The dashboard page (mounted by ``app.create_app``)."""
    widgets = Widgets()
    with gr.Blocks(title="Credit decision dashboard", analytics_enabled=False) as demo:
        build_layout(widgets)
        _wire(Handlers(widgets, flows, sessions, page_size), widgets, demo)
    # Advisors work at the same time: events of different sessions run in parallel.
    demo.queue(default_concurrency_limit=16)
    return demo
