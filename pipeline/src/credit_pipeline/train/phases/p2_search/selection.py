"""Phase 2 as a whole: which family, which parameters, which imbalance treatment.

A budgeted search per candidate family picks the winning family on the business cost. The
services serve LightGBM (fast single-row scoring and exact TreeSHAP), so when another family
wins, the retained model is restricted to LightGBM and the logs, the parent run and the model
card say so. A deeper search on LightGBM then starts from its best budgeted trial, and the
imbalance treatments are compared on its best parameters.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import mlflow
from credit_pipeline.train.modelling.by_data import FamilyChoice
from credit_pipeline.train.modelling.families import SERVED_FAMILY
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.phases.p2_search.imbalance import (
    ImbalanceChoice,
    apply_class_weights,
    compare_imbalance,
)
from credit_pipeline.train.phases.p2_search.study import SearchBudget, SearchResult, run_search

__all__ = ["Selection", "select_model"]

logger = logging.getLogger(__name__)


@dataclass
class Selection:
    """The outcome of phase 2."""

    winning_family: str
    searches: list[SearchResult]
    deep_search: SearchResult
    imbalance: ImbalanceChoice
    #: The family of the model that is published (``--data`` files may retain any candidate).
    retained_family: str = SERVED_FAMILY
    #: The repeated-CV comparison, for ``--data`` files (``phases/p2_search/by_data.py``).
    by_data: FamilyChoice | None = None

    @property
    def restricted(self) -> bool:
        return self.winning_family != self.retained_family

    @property
    def note(self) -> str:
        """One sentence for the logs and the model card about the family decision."""
        if self.by_data is not None:
            best = self.by_data.best
            return (f"{best.name} retained among {len(self.by_data.scores)} candidates "
                    f"(regularised logistic regressions and LightGBM) on {self.by_data.repeats}"
                    f" repeats of {self.by_data.folds}-fold CV: out-of-fold cost/client "
                    f"{best.cost_per_client:.4f}, AUC {best.roc_auc:.4f}.")
        if not self.restricted:
            return f"{SERVED_FAMILY} won the budgeted search and is the retained model."
        return (f"{self.winning_family} won the budgeted search, but the retained model is "
                f"restricted to {SERVED_FAMILY}: the services rely on it for sub-millisecond "
                "scoring and exact TreeSHAP explanations.")

    def final_params(self, context: PhaseContext) -> dict:
        """The deep search's best parameters with the retained imbalance treatment."""
        params = dict(self.deep_search.params)
        if self.imbalance.strategy == "class_weights":
            params = apply_class_weights(SERVED_FAMILY, params, context.target)
        return params


def select_model(context: PhaseContext) -> Selection:
    """Run the budgeted searches, the deep one and the imbalance comparison."""
    profile = context.profile
    budget = SearchBudget(profile.search_rows, profile.search_folds, profile.search_trials,
                          profile.search_timeout_s, profile.search_trees)
    families = list(dict.fromkeys([*profile.search_families, SERVED_FAMILY]))
    searches = [run_search(context, family, budget, f"search/{family}") for family in families]
    winner = min(searches, key=lambda s: s.cost_per_client)
    served = next(s for s in searches if s.family == SERVED_FAMILY)
    deep_budget = SearchBudget(profile.deep_rows, profile.deep_folds, profile.deep_trials,
                               profile.deep_timeout_s, profile.search_trees)
    deep = run_search(context, SERVED_FAMILY, deep_budget, f"search-deep/{SERVED_FAMILY}",
                      start_from=served.suggested)
    imbalance = compare_imbalance(context, SERVED_FAMILY, deep.params)
    selection = Selection(winner.family, searches, deep, imbalance)
    logger.info(selection.note)
    mlflow.set_tags({
        "winning_family": winner.family,
        "retained_family": SERVED_FAMILY,
        "family_note": selection.note,
        "imbalance": imbalance.strategy,
    })
    return selection
