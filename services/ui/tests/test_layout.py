"""The page's typed widgets: every component is declared to the events, under its stable id."""

from __future__ import annotations

from dataclasses import fields

import gradio as gr

from ui_service.form import FORM_FIELDS, WHATIF_FIELDS
from ui_service.layout.build import build_layout
from ui_service.layout.widgets import States, Widgets

#: The ids the browser tests and the page's script select by (besides the form fields').
FIXED_IDS = {
    "header", "language", "monitoring", "split", "search", "results", "search-status", "open",
    "decision", "tab-reasons", "tab-population", "tab-whatif", "tab-record", "tab-new",
    "reasons-chart", "reasons", "feature", "population-help", "dist-all-chart", "dist-all",
    "dist-similar-chart", "dist-similar", "scatter-x", "scatter-y", "colour", "scatter-chart",
    "scatter", "whatif-intro", "whatif-errors", "recompute", "whatif-result", "whatif-chart",
    "whatif-reasons", "counterfactual", "cf-apply", "record-intro", "record-model", "final",
    "comment", "record", "record-result", "new-intro", "new-errors", "score-new",
}


def _built() -> Widgets:
    with gr.Blocks():
        return build_layout()


def test_every_component_has_its_id_once() -> None:
    widgets = _built()
    ids = [c.elem_id for c in widgets.components() if c.elem_id]
    assert len(ids) == len(set(ids))
    form_ids = {f"{prefix}-{f.key.lower().replace('_', '-')}"
                for prefix, group in (("whatif", WHATIF_FIELDS), ("new", FORM_FIELDS))
                for f in group}
    headings = {c.elem_id for c, text in widgets.texts.items() if text.kind == "heading"}
    assert set(ids) == FIXED_IDS | form_ids | headings


def test_events_may_update_every_state_field_and_fixed_text() -> None:
    widgets = _built()
    declared = {id(c) for c in widgets.components()}
    states = [getattr(widgets.states, f.name) for f in fields(States)]
    assert all(isinstance(state, gr.State) and id(state) in declared for state in states)
    assert all(id(c) in declared for c in widgets.texts)
    assert all(id(c) in declared for c in [*widgets.whatif.fields.values(),
                                           *widgets.new.fields.values()])
    assert set(widgets.whatif.fields) == {f.key for f in WHATIF_FIELDS}
