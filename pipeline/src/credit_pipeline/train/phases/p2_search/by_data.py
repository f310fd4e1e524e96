"""Phase 2 for ``--data`` files: the model family chosen by the data, as the ``search`` runs.

Every candidate of ``modelling.by_data`` is scored on the same repeated stratified folds of the
training split; each is logged as a nested run (parameters, out-of-fold AUC and cost per client
averaged over the repeats, their spread), and the parent run is tagged with the retained one.
The Home Credit path keeps its Optuna search (``selection.py``); this one replaces it for files,
where the rows are few and one split is too noisy to choose on.
"""

from __future__ import annotations

import logging

import mlflow
from credit_pipeline.train.mlflow_io.tracking import log_data_used, log_params, phase_run
from credit_pipeline.train.modelling.by_data import CandidateScore, FamilyChoice, choose_by_data
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.phases.p2_search.imbalance import ImbalanceChoice
from credit_pipeline.train.phases.p2_search.selection import Selection
from credit_pipeline.train.phases.p2_search.study import SearchResult

__all__ = ["select_by_data"]

logger = logging.getLogger(__name__)

#: No resampling or weights: the cost-optimal threshold carries the 10:1 cost ratio.
IMBALANCE = "none (the threshold carries the 10:1 cost)"


def _log_score(context: PhaseContext, score: CandidateScore, rows: int, retained: bool) -> str:
    with phase_run(f"search/{score.name}", "search", score.family,
                   {"retained": str(retained).lower()}) as run:
        log_params({**score.params, "candidate": score.name})
        log_data_used(context.record, rows)
        mlflow.log_metrics({
            "roc_auc": score.roc_auc, "business_cost_per_client": score.cost_per_client,
            "business_cost_per_client_error": score.cost_error,
            "seconds_per_fit_set": score.seconds,
        })
    return str(run.info.run_id)


def _search_result(score: CandidateScore, run_id: str) -> SearchResult:
    return SearchResult(score.family, dict(score.params), score.cost_per_client, score.roc_auc,
                        trials=1, pruned=0, seconds=score.seconds, run_id=run_id)


def select_by_data(context: PhaseContext) -> Selection:
    """Compare the candidates on the training split (or a stratified sample of deep_rows)."""
    rows = context.subsample(context.profile.deep_rows)
    choice: FamilyChoice = choose_by_data(context.matrix[rows], context.target[rows],
                                          context.family)
    results = {}
    for score in choice.scores:
        results[score.name] = _search_result(
            score, _log_score(context, score, len(rows), score is choice.best))
    best = results[choice.best.name]
    costs = {IMBALANCE: choice.best.cost_per_client}
    selection = Selection(choice.best.family, list(results.values()), best,
                          ImbalanceChoice(IMBALANCE, costs, {IMBALANCE: choice.best.roc_auc}),
                          retained_family=choice.best.family, by_data=choice)
    logger.info(selection.note)
    mlflow.set_tags({"winning_family": choice.best.family, "retained_family": choice.best.family,
                     "retained_candidate": choice.best.name, "family_note": selection.note,
                     "imbalance": IMBALANCE, "cv": f"{choice.repeats}x{choice.folds}",
                     "tied_candidates": ", ".join(choice.tied)})
    logger.info("candidates: %s", {s.name: round(s.cost_per_client, 4) for s in choice.scores})
    return selection
