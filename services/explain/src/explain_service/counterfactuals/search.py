"""The smallest change to the loan that turns a refusal into an approval.

The size of a change is how far the loan moves: the larger of the relative reduction of the
amount financed and the relative change of the annuity (a 10% smaller credit at the same term
is 0.10; the same credit over 36 months instead of 24 is 0.33, the annuity falling by a third;
over 10 months it is 1.4). The smallest change wins; ties go to the smaller reduction of the
amount financed, then to fewer levers moved (amount, term), then a cheaper purchase before a
down payment, then the lower probability.
The search is vectorised: a coarse grid (reductions x terms x kinds) is derived and scored in
one frame, then the reductions just below the best approved one are refined the same way.
Bounds come from the request or the settings. ``counterfactual`` is the answer for one subject.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from explain_service.counterfactuals.candidates import KINDS, Candidates, Loan, build_candidates
from explain_service.counterfactuals.text import describe, no_change_message
from explain_service.shap.explainer import VersionExplainer
from explain_service.subjects import Subject

__all__ = ["Bounds", "change_size", "counterfactual", "search"]

_COARSE_STEPS = 25
_FINE_STEPS = 24
_MAX_TERMS = 30


@dataclass(frozen=True)
class Bounds:
    """Validated search bounds (see schemas.CounterfactualBounds)."""

    max_credit_reduction: float
    min_credit_amount: float
    min_term_months: int
    max_term_months: int
    max_down_payment_share: float


def _terms(loan: Loan, bounds: Bounds) -> list[float]:
    current = loan.term_months
    if current is None:
        return [math.nan]
    span = bounds.max_term_months - bounds.min_term_months
    step = max(1, math.ceil(span / _MAX_TERMS))
    grid = set(range(bounds.min_term_months, bounds.max_term_months + 1, step))
    return sorted(grid | {bounds.max_term_months, current})


def _max_reduction(loan: Loan, bounds: Bounds) -> float:
    floor_share = 1 - bounds.min_credit_amount / loan.credit
    return float(max(0.0, min(bounds.max_credit_reduction, floor_share)))


def _concat(first: Candidates, second: Candidates) -> Candidates:
    return Candidates(**{name: np.concatenate([getattr(first, name), getattr(second, name)])
                         for name in first.__dataclass_fields__})


def change_size(candidates: Candidates, loan: Loan) -> np.ndarray:
    """How far each candidate moves the loan: max(reduction, |annuity change| / annuity)."""
    if not loan.annuity:
        return np.asarray(candidates.reduction, dtype=float)
    annuity_change = np.abs(candidates.annuity - loan.annuity) / loan.annuity
    return np.maximum(candidates.reduction, np.nan_to_num(annuity_change, nan=0.0))


def _order(candidates: Candidates, loan: Loan) -> np.ndarray:
    """Candidate indices from the smallest change to the largest."""
    term_moved = ~_same_term(candidates.term, loan)
    levers = (candidates.reduction > 0).astype(int) + term_moved.astype(int)
    return np.lexsort((candidates.probability, candidates.kind, levers,
                       np.round(candidates.reduction, 9),
                       np.round(change_size(candidates, loan), 9)))


def _refine(explainer: VersionExplainer, vector: np.ndarray, application: Mapping[str, Any],
            loan: Loan, coarse: Candidates, best: int, terms: list[float],
            cap: float, step: float) -> Candidates:
    upper = float(coarse.reduction[best])
    if upper == 0:  # nothing to refine: the best keeps the amount
        return coarse
    fine = np.linspace(max(0.0, upper - step), upper, _FINE_STEPS + 1)[1:-1]
    extra = build_candidates(explainer, vector, application, loan, fine, terms, cap)
    return _concat(coarse, extra)


def search(explainer: VersionExplainer, vector: np.ndarray, application: Mapping[str, Any],
           bounds: Bounds) -> dict[str, Any]:
    """The counterfactual of one applicant (full vector and application fields)."""
    started = time.perf_counter()
    loan = Loan.of(application)
    threshold = explainer.bundle.threshold
    terms = _terms(loan, bounds)
    cap = bounds.max_down_payment_share * (loan.goods_price or 0.0)
    top = _max_reduction(loan, bounds)
    reductions = np.unique(np.linspace(0.0, top, _COARSE_STEPS + 1))
    candidates = build_candidates(explainer, vector, application, loan, reductions, terms, cap)
    current = int(np.flatnonzero((candidates.reduction == 0) & (candidates.kind == 0)
                                 & _same_term(candidates.term, loan))[0])
    result: dict[str, Any] = {"current": _current(loan, candidates, current, threshold)}
    if candidates.probability[current] < threshold:
        result.update(status="already_approved", counterfactual=None, alternatives=[],
                      message=no_change_message("already_approved"))
    else:
        feasible = candidates.probability < threshold
        if feasible.any():
            order = [i for i in _order(candidates, loan) if feasible[i]]
            step = top / _COARSE_STEPS if top > 0 else 0.0
            candidates = _refine(explainer, vector, application, loan, candidates, order[0],
                                 terms, cap, step)
        result.update(_choose(candidates, loan, application, threshold))
    result["search"] = {"candidates": int(candidates.probability.size),
                        "elapsed_ms": round(1000 * (time.perf_counter() - started), 2)}
    return result


def _same_term(term: np.ndarray, loan: Loan) -> np.ndarray:
    current = loan.term_months
    return np.isnan(term) if current is None else term == current


def _current(loan: Loan, candidates: Candidates, index: int, threshold: float) -> dict[str, Any]:
    probability = float(candidates.probability[index])
    return {"credit": loan.credit, "annuity": loan.annuity, "goods_price": loan.goods_price,
            "term_months": loan.term_months, "probability": probability,
            "decision": "refused" if probability >= threshold else "approved"}


def _choose(candidates: Candidates, loan: Loan, application: Mapping[str, Any],
            threshold: float) -> dict[str, Any]:
    feasible = candidates.probability < threshold
    if not feasible.any():
        return {"status": "no_feasible_change", "counterfactual": None, "alternatives": [],
                "message": no_change_message("no_feasible_change")}
    order = [int(i) for i in _order(candidates, loan) if feasible[i]]
    sizes = change_size(candidates, loan)

    def described(index: int) -> dict[str, Any]:
        return describe(candidates, index, loan, application, threshold,
                        sorted(_levers(candidates, index, loan)), float(sizes[index]))

    best = order[0]
    alternatives = []
    for lever in ("amount", "term", "down_payment"):
        index = next((i for i in order if _levers(candidates, i, loan) == {lever}), None)
        if index is not None and index != best:
            alternatives.append(described(index))
    chosen = described(best)
    return {"status": "found", "counterfactual": chosen, "alternatives": alternatives,
            "message": chosen["text"]}


def _levers(candidates: Candidates, index: int, loan: Loan) -> set[str]:
    """What candidate ``index`` changes: the amount, the term, a down payment."""
    levers = set()
    if candidates.reduction[index] > 0:
        levers.add(KINDS[int(candidates.kind[index])])
    term = candidates.term[index]
    if not np.isnan(term) and term != loan.term_months:
        levers.add("term")
    return levers


def counterfactual(explainer: VersionExplainer, subject: Subject,
                   bounds: Bounds) -> dict[str, Any]:
    """The smallest change to the loan that makes this version approve the subject."""
    if subject.application is None:
        raise ValueError("a counterfactual needs the application fields")
    result = search(explainer, subject.vector, subject.application, bounds)
    return {"model": explainer.model_ref(), "subject": subject.describe(),
            "threshold": explainer.bundle.threshold, "bounds": vars(bounds), **result}
