"""What is on the page: the dashboard's components, one typed record per part of the screen.

``layout.build`` creates them inside the ``gr.Blocks`` context; the event handlers read and
update them by attribute (``w.chooser.search``), so a misspelt or missing component is a type
error, not an ``AttributeError`` in the middle of an advisor's click.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal, NamedTuple

import gradio as gr

__all__ = ["Chooser", "Field", "FixedText", "NewTab", "Output", "PopulationTab", "ReasonsTab",
           "RecordTab", "States", "Tabs", "Top", "Updates", "WhatIfTab", "Widgets"]

#: One input of an application form: a radio group for levels, a textbox for numbers.
Field = gr.Radio | gr.Textbox
#: What an event may update: a component, or a tab (its label).
Output = gr.components.Component | gr.Tab
#: An event's answer: each output's new value, or a ``gr.update`` of its properties.
Updates = dict[Output, Any]


class FixedText(NamedTuple):
    """A text of the page that only changes with the language: a heading or a paragraph."""

    kind: Literal["heading", "paragraph"]
    key: str  # the catalogue key
    level: int  # the heading's level (0 for a paragraph)


# eq=False: components compare (and hash) by identity, as Gradio expects of dict keys.
@dataclass(frozen=True, eq=False)
class Top:
    """The header line (title, who is signed in, language) and the monitoring status."""

    header: gr.HTML
    language: gr.Radio
    monitoring: gr.HTML


@dataclass(frozen=True, eq=False)
class Chooser:
    """Finding and opening an applicant."""

    split: gr.Radio
    search: gr.Textbox
    results: gr.Radio
    status: gr.HTML
    open: gr.Button


@dataclass(frozen=True, eq=False)
class Tabs:
    """The five tabs under the decision."""

    reasons: gr.Tab
    population: gr.Tab
    whatif: gr.Tab
    record: gr.Tab
    new: gr.Tab


@dataclass(frozen=True, eq=False)
class ReasonsTab:
    """The reasons chart and its text alternative."""

    plot: gr.Plot
    text: gr.HTML


@dataclass(frozen=True, eq=False)
class PopulationTab:
    """The applicant among all clients and among similar ones, and the scatter plot."""

    feature: gr.Radio
    help: gr.HTML
    all_plot: gr.Plot
    all_text: gr.HTML
    similar_plot: gr.Plot
    similar_text: gr.HTML
    scatter_x: gr.Radio
    scatter_y: gr.Radio
    colour: gr.Radio
    scatter_plot: gr.Plot
    scatter_text: gr.HTML


@dataclass(frozen=True, eq=False)
class WhatIfTab:
    """The what-if form and its result, and the counterfactual suggestion."""

    intro: gr.HTML
    fields: dict[str, Field]  # form key -> input
    errors: gr.HTML
    button: gr.Button
    result: gr.HTML
    plot: gr.Plot
    reasons: gr.HTML
    counterfactual: gr.HTML
    apply: gr.Button


@dataclass(frozen=True, eq=False)
class RecordTab:
    """The advisor's final decision."""

    intro: gr.HTML
    model: gr.HTML
    final: gr.Radio
    comment: gr.Textbox
    button: gr.Button
    result: gr.HTML


@dataclass(frozen=True, eq=False)
class NewTab:
    """A new application typed by the advisor."""

    intro: gr.HTML
    fields: dict[str, Field]  # form key -> input
    errors: gr.HTML
    button: gr.Button


@dataclass(frozen=True, eq=False)
class States:
    """Per-session answers kept so that switching language never calls a peer again."""

    context: gr.State
    population: gr.State
    scatter: gr.State
    whatif: gr.State
    counterfactual: gr.State
    review: gr.State
    found: gr.State
    monitoring: gr.State
    features: gr.State


@dataclass(frozen=True, eq=False)
class Widgets:
    """Every component of the page, by part of the screen."""

    top: Top
    chooser: Chooser
    decision: gr.HTML
    tabs: Tabs
    reasons: ReasonsTab
    population: PopulationTab
    whatif: WhatIfTab
    record: RecordTab
    new: NewTab
    states: States
    texts: dict[gr.HTML, FixedText]  # the fixed texts, relabelled with the language

    def components(self) -> list[Output]:
        """Every component a handler may update (Gradio needs the outputs declared)."""
        unique = {id(c): c for c in _walk(self)}
        return list(unique.values())


def _walk(value: object) -> Iterator[Output]:
    """The components (and tabs) held by a record, its sub-records and its dicts."""
    if isinstance(value, gr.components.Component | gr.Tab):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(key)
            yield from _walk(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for part in fields(value):
            yield from _walk(getattr(value, part.name))
