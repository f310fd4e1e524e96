"""Checking a form before it is sent, and naming the fields a peer rejected.

Errors are shown twice, both in text: under each field at fault (its ``info`` line, which is
part of the field's label for screen readers) and in a summary list announced at once
(``role=alert``). A peer's 422 is mapped back to the form's fields the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

import gradio as gr

from ui_service.api.peers import Invalid
from ui_service.form import FormField, errors_by_field, key_of_target, to_application
from ui_service.i18n import t
from ui_service.layout.widgets import Field, Updates

__all__ = ["Checked", "check_form", "error_summary", "field_updates"]


def error_summary(errors: Mapping[str, str], language: str) -> str:
    """The list of errors, announced (empty when there are none)."""
    if not errors:
        return ""
    items = "".join(f"<li>{escape(text)}</li>" for text in errors.values())
    heading = escape(t("errors_heading", language, count=len(errors)))
    return (f'<div class="ui-errors" role="alert"><p><strong>{heading}</strong></p>'
            f"<ul>{items}</ul></div>")


def field_updates(errors: Mapping[str, str], fields: tuple[FormField, ...],
                  components: Mapping[str, Field]) -> Updates:
    """Each field's error under it (or nothing), with a red border when wrong."""
    updates: Updates = {}
    for form_field in fields:
        message = errors.get(form_field.key)
        updates[components[form_field.key]] = gr.update(
            info=f"⚠ {message}" if message else None,
            elem_classes=["ui-field-error"] if message else [])
    return updates


@dataclass
class Checked:
    """The outcome of checking (and possibly sending) a form."""

    values: dict[str, Any]
    language: str
    fields: tuple[FormField, ...]
    components: Mapping[str, Field]
    summary: gr.HTML
    errors: dict[str, str] = field(default_factory=dict)
    value: Any = None

    @property
    def updates(self) -> Updates:
        return {**field_updates(self.errors, self.fields, self.components),
                self.summary: error_summary(self.errors, self.language)}

    def run(self, send: Callable[[dict[str, Any]], Any], base: Mapping[str, Any]) -> Checked:
        """Send the application built from the form; a 422 becomes named field errors."""
        try:
            self.value = send(to_application(self.values, base, self.language))
        except Invalid as error:
            for target, reason in error.fields.items():
                key = key_of_target(target)
                label = t(f"f_{key}", self.language) if key else (target or "?")
                self.errors[key or target] = t("err_server", self.language, label=label,
                                               message=reason)
        return self


def check_form(values: dict[str, Any], language: str, fields: tuple[FormField, ...],
               components: Mapping[str, Field], summary: gr.HTML) -> Checked:
    """Check every field of the form; ``Checked.errors`` names those at fault."""
    errors = errors_by_field(values, language, fields)
    return Checked(values, language, fields, components, summary, errors)
