"""Phase 3 for ``--data`` files: the candidate chosen by the data, refitted, as the ``final`` run.

The out-of-fold log-odds come from phase 2's repeated CV (averaged over the repeats; recomputed
on every training row when phase 2 scored a sample). The calibration is chosen on them among
none and Platt scaling, and isotonic regression only from ``ISOTONIC_MIN_ROWS`` rows: on fewer,
its steps overfit (on 850 rows it gave probabilities of exactly 1.0). The candidate is then
refitted on every training row; a logistic regression is exported as a linear scorer
(``credit_core.linear``), LightGBM keeps its booster, so the bundle and the pyfunc serve both.
Importance: mean |SHAP| for LightGBM, mean |term - its mean| for the linear scorer (the same
quantity: exact SHAP values of an additive model with independent inputs).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from credit_core.linear import LinearScorer
from credit_pipeline.train.mlflow_io.tracking import (
    log_data_used,
    log_params,
    phase_run,
)
from credit_pipeline.train.modelling.by_data import CandidateScore, ModelCandidate, score_candidates
from credit_pipeline.train.modelling.calibration import choose_calibration
from credit_pipeline.train.modelling.families import fit_estimator, make_estimator
from credit_pipeline.train.modelling.importance import shap_importance
from credit_pipeline.train.modelling.linear_export import export_linear
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.phases.p2_search.selection import Selection
from credit_pipeline.train.phases.p3_retained import FinalModel, Retained, log_retained

__all__ = ["ISOTONIC_MIN_ROWS", "retain_by_data"]

logger = logging.getLogger(__name__)

#: Isotonic calibration is a candidate only from this many training rows.
ISOTONIC_MIN_ROWS = 5_000


def _oof_raw(context: PhaseContext, best: CandidateScore, repeats: int) -> np.ndarray:
    if len(best.oof_raw) == len(context.target):
        return best.oof_raw
    candidate = ModelCandidate(best.name, best.family, best.params,
                               (int(best.params["n_estimators"]),)
                               if best.family == "lightgbm" else ())
    return score_candidates(context.matrix, context.target, context.family, [candidate],
                            repeats)[0].oof_raw


def _levels(context: PhaseContext) -> dict[int, int]:
    levels = {}
    for position in context.categorical_positions:
        name = context.feature_names[position]
        known = context.train.category_levels.get(name)
        column = context.matrix[:, position]
        levels[position] = len(known) if known else int(np.nanmax(column, initial=0)) + 1
    return levels


def _refit(context: PhaseContext, best: CandidateScore) -> Any:
    estimator = make_estimator(best.family, best.params, context.family)
    fit_estimator(best.family, estimator, context.matrix, context.target, None, context.family)
    if best.family == "logistic_regression":
        return export_linear(estimator, context.matrix, _levels(context))
    return estimator.booster_


def _importance(context: PhaseContext, model: Any) -> dict[str, float]:
    rows = context.subsample(context.profile.importance_rows)
    if not isinstance(model, LinearScorer):
        return shap_importance(model, context.matrix[rows], context.feature_names,
                               context.profile.num_threads)
    terms = model.contributions(context.matrix[rows])
    spread = np.abs(terms - terms.mean(axis=0)).mean(axis=0)
    ranked = sorted(zip(context.feature_names, spread, strict=True), key=lambda p: -p[1])
    return {name: float(value) for name, value in ranked}


def retain_by_data(context: PhaseContext, selection: Selection) -> Retained:
    """Calibrate on the repeated-CV scores, refit the chosen candidate on all training rows."""
    choice = selection.by_data
    if choice is None:
        raise ValueError("retain_by_data needs the by-data selection of phase 2")
    best = choice.best
    with phase_run(f"final/{best.family}", "final", best.family, {"candidate": best.name}):
        log_data_used(context.record, len(context.target))
        started = time.perf_counter()
        oof_raw = _oof_raw(context, best, choice.repeats)
        methods = ("platt", "isotonic") if len(context.target) >= ISOTONIC_MIN_ROWS else ("platt",)
        calibration = choose_calibration(oof_raw, context.target, context.profile.seed, methods)
        cv_seconds = time.perf_counter() - started
        started = time.perf_counter()
        model = _refit(context, best)
        trees = int(best.params.get("n_estimators", 0)) if best.family == "lightgbm" else 0
        final = FinalModel(model, dict(best.params), oof_raw, calibration, trees, [],
                           cv_seconds, time.perf_counter() - started)
        log_params({**final.params, "candidate": best.name, "trees": trees,
                    "cv": f"{choice.repeats}x{choice.folds}"})
        importance = _importance(context, model)
        log_retained(context, final, importance, f"retained {best.name} (out of fold)")
    logger.info("final model: %s, calibration %s", best.name, calibration.method)
    return Retained(final, importance, family=best.family)
