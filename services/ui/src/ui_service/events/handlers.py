"""The dashboard's event handlers: read the inputs, call ``flows``, return the updates.

Each handler returns a dict {component: update}, made by ``updates``; ``wiring`` declares
which components each one may touch. Handlers never raise to Gradio: every peer failure is
already a context with its ``problems``, which the views word for the advisor.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ui_service.api import decisions, explore
from ui_service.api.explore import FeatureChoices
from ui_service.api.flows import Flows
from ui_service.events import updates
from ui_service.events.checks import check_form
from ui_service.form import FORM_FIELDS, WHATIF_FIELDS, from_application
from ui_service.i18n import language_of
from ui_service.layout.widgets import Updates, Widgets
from ui_service.session import Sessions

__all__ = ["Handlers"]

#: An applicant's context (``flows``), a what-if, a review...: a peer's answer as a plain dict.
Answer = dict[str, Any] | None
#: The features offered for comparison: [(name, English label)].
Features = list[tuple[str, str]] | None


class Handlers:
    """Handlers bound to the page's widgets and the process's flows."""

    def __init__(self, w: Widgets, flows: Flows, sessions: Sessions, page_size: int) -> None:
        self.w, self.flows, self.sessions, self.page_size = w, flows, sessions, page_size
        self.features = FeatureChoices(flows)

    # --- load and language ------------------------------------------------------------------
    def load(self, request: gr.Request) -> Updates:
        """The page for the signed-in advisor, in their language, with the applicant list."""
        w = self.w
        language = language_of(request.cookies.get("credit_ui_lang"))
        found = self.flows.pool.submit(explore.search, self.flows, "test", "", self.page_size)
        status = self.flows.pool.submit(explore.monitoring_status, self.flows)
        found_now, status_now = found.result(), status.result()
        return {
            **updates.labels(w, language), w.top.language: gr.update(value=language),
            w.top.header: self._header(request, language),
            **updates.search(w, found_now, language),
            **updates.monitoring(w, status_now, language),
            w.states.found: found_now, w.states.monitoring: status_now,
        }

    def relabel(self, language: str, context: Answer, population: Answer, scatter: Answer,
                whatif: Answer, counterfactual: Answer, review: Answer, found: Answer,
                status: Answer, features: Features, colour: str, chosen: str | None,
                request: gr.Request) -> Updates:
        """Everything again in the new language, from the stored answers (no peer call)."""
        w, language = self.w, language_of(language)
        return {
            **updates.labels(w, language), w.top.header: self._header(request, language),
            **updates.search(w, found, language, keep=chosen),
            **updates.monitoring(w, status, language),
            **updates.applicant(w, context, language),
            **updates.population(w, population, features, language),
            **updates.scatter(w, scatter, context, features, colour, language),
            **updates.whatif(w, whatif, language),
            **updates.counterfactual(w, counterfactual, language),
            **updates.review(w, review, context, language),
        }

    def _header(self, request: gr.Request, language: str) -> str:
        """The header for whoever is signed in on this request."""
        session = self.sessions.of_request(request.request) if request.request else None
        return updates.header(session.name if session else None,
                              session.role if session else None, language)

    # --- choosing an applicant --------------------------------------------------------------
    def search(self, split: str, query: str, language: str) -> Updates:
        found = explore.search(self.flows, split, query, self.page_size)
        return {**updates.search(self.w, found, language_of(language)),
                self.w.states.found: found}

    def open(self, choice: str | None, typed: str, language: str) -> Updates:
        """Open the chosen applicant (the radio), else the id typed."""
        return self._show(self.flows.open_client(choice or typed), language)

    def open_typed(self, typed: str, language: str) -> Updates:
        return self._show(self.flows.open_client(typed), language)

    def _show(self, context: dict[str, Any], language: str) -> Updates:
        w, language = self.w, language_of(language)
        values = from_application(context.get("application") or {}, language)
        return {
            **updates.applicant(w, context, language), w.states.context: context,
            **{w.whatif.fields[f.key]: values.get(f.key) for f in WHATIF_FIELDS},
            **updates.whatif(w, None, language), w.states.whatif: None,
            **updates.review(w, None, context, language), w.states.review: None,
            w.record.final: None, w.record.comment: "", w.whatif.errors: "",
        }

    # --- the applicant among the others -----------------------------------------------------
    def population(self, context: Answer, feature: str | None, language: str) -> Updates:
        """Distributions of the chosen feature (the most important one by default)."""
        w, language = self.w, language_of(language)
        features = self.features.get()
        names = [name for name, _ in features]
        if not context or context.get("score") is None or not names:
            return {**updates.population(w, None, features, language),
                    w.states.population: None, w.states.features: features}
        name = feature if feature in names else names[0]
        data = explore.distributions(self.flows, context, name)
        return {**updates.population(w, data, features, language),
                w.states.population: data, w.states.features: features}

    def scatter(self, context: Answer, x: str | None, y: str | None, colour: str,
                features: Features, language: str) -> Updates:
        w, language = self.w, language_of(language)
        names = [name for name, _ in features or []]
        if not context or context.get("score") is None or len(names) < 2:
            return {**updates.scatter(w, None, context, features, colour, language),
                    w.states.scatter: None}
        x_axis = x if x and x in names else names[0]
        y_axis = y if y and y in names and y != x_axis else next(n for n in names if n != x_axis)
        data = explore.scatter(self.flows, x_axis, y_axis)
        return {**updates.scatter(w, data, context, features, colour, language),
                w.states.scatter: data}

    def recolour(self, context: Answer, data: Answer, colour: str, features: Features,
                 language: str) -> Updates:
        return updates.scatter(self.w, data, context, features, colour, language_of(language))

    # --- what-if, counterfactual, decision --------------------------------------------------
    def counterfactual(self, context: Answer, language: str) -> Updates:
        result = decisions.counterfactual(self.flows, context) if context and \
            context.get("score") else None
        return {**updates.counterfactual(self.w, result, language_of(language)),
                self.w.states.counterfactual: result}

    def what_if(self, context: Answer, language: str, *values: Any) -> Updates:
        """Score the edited application (fields checked first, errors named)."""
        w, language = self.w, language_of(language)
        if not context or not context.get("application"):
            return updates.whatif(w, None, language)
        edits = dict(zip([f.key for f in WHATIF_FIELDS], values, strict=True))
        checked = check_form(edits, language, WHATIF_FIELDS, w.whatif.fields, w.whatif.errors)
        if checked.errors:
            return checked.updates
        base = context["application"]
        result = checked.run(lambda application: decisions.what_if(
            self.flows, base, application, context.get("kind") == "client",
            context.get("client_id")), base)
        if result.errors:
            return result.updates
        return {**result.updates, **updates.whatif(w, result.value, language),
                w.states.whatif: result.value}

    def apply_suggestion(self, counterfactual: Answer, language: str) -> Updates:
        """Copy the suggested loan into the what-if form."""
        application = ((counterfactual or {}).get("counterfactual") or {}).get("application")
        values = from_application(application or {}, language_of(language))
        return {self.w.whatif.fields[f.key]: values.get(f.key) for f in WHATIF_FIELDS
                if f.key.startswith("AMT_")}

    def record(self, context: Answer, final: str | None, comment: str, language: str,
               request: gr.Request) -> Updates:
        """Record the advisor's decision; an override needs a justification."""
        w, language = self.w, language_of(language)
        score = (context or {}).get("score") or {}
        model = score.get("decision")
        if context is None or not model or not score.get("decision_id"):
            result: dict[str, Any] = {"problem": "none"}
        elif final not in ("approved", "refused"):
            result = {"problem": "choose"}
        elif final != model and not (comment or "").strip():
            result = {"problem": "needs_comment"}
        else:
            result = decisions.review(self.flows, context, final, comment or "",
                                      request.username or "?")
        return {**updates.review(w, result, context, language), w.states.review: result}

    def score_new(self, language: str, *values: Any) -> Updates:
        """Check the new application's fields, then score and explain it."""
        w, language = self.w, language_of(language)
        entered = dict(zip([f.key for f in FORM_FIELDS], values, strict=True))
        checked = check_form(entered, language, FORM_FIELDS, w.new.fields, w.new.errors)
        if checked.errors:
            return checked.updates
        result = checked.run(lambda application: self.flows.open_application(application), {})
        if result.errors:
            return result.updates
        return {**result.updates, **self._show(result.value, language)}
